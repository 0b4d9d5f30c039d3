using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.Test;

/// <summary>
/// buf, the oracle of the drift tests (their rule IDs must equal buf's): installed for the tests only, from npm's
/// @bufbuild/buf (which carries the native binary) into &lt;cache&gt;/tools/buf. The toolkit never runs it.
/// </summary>
public static class BufTool
{
    public const string Version = "1.75.0";

    public static string Folder(string cacheDir) => Path.Combine(cacheDir, "tools", "buf");

    /// <summary>The native binary npm put under node_modules/@bufbuild/buf-&lt;platform&gt;/bin, or null when not installed.</summary>
    public static string? Binary(string cacheDir)
    {
        var modules = Path.Combine(Folder(cacheDir), "node_modules", "@bufbuild");
        return Directory.Exists(modules)
            ? Directory.EnumerateDirectories(modules, "buf-*").Select(d => Path.Combine(d, "bin", "buf")).FirstOrDefault(File.Exists)
            : null;
    }

    public static async Task EnsureAsync(StageContext context, CancellationToken cancellationToken)
    {
        var cache = context.Options.CacheDir;
        var version = Path.Combine(Folder(cache), "node_modules", "@bufbuild", "buf", "package.json");
        if (Binary(cache) is not null && File.Exists(version) && File.ReadAllText(version).Contains($"\"version\": \"{Version}\"", StringComparison.Ordinal))
        {
            return;
        }

        context.Log.Info($"installing buf {Version} (npm @bufbuild/buf, for the drift tests) into {Folder(cache)}");
        try
        {
            await context.Runner.RunCheckedAsync(new ProcessSpec("npm", "--version") { Timeout = TimeSpan.FromMinutes(1) }, "npm --version", cancellationToken: cancellationToken);
        }
        catch (ProgramNotFoundException)
        {
            // Debian's node and npm; a host that already has Node (e.g. from NodeSource, with npm inside) keeps its own.
            await context.Runner.RunCheckedAsync(
                new ProcessSpec("apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "nodejs", "npm") { Timeout = TimeSpan.FromMinutes(15) },
                "installing nodejs and npm for buf", cancellationToken: cancellationToken);
        }

        Directory.CreateDirectory(Folder(cache));
        await context.Runner.RunCheckedAsync(
            new ProcessSpec("npm", "install", "--prefix", Folder(cache), "--no-save", "--no-audit", "--no-fund", $"@bufbuild/buf@{Version}") { Timeout = TimeSpan.FromMinutes(10) },
            $"installing buf {Version} with npm", cancellationToken: cancellationToken);
        if (Binary(cache) is null)
        {
            throw new ToolkitException($"npm installed @bufbuild/buf {Version} into {Folder(cache)} but no native buf binary is under node_modules/@bufbuild/buf-*/bin; this platform may have no buf build", ExitCodes.Prerequisite);
        }
    }
}
