using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.BazelBuild;

/// <summary>Applies a <see cref="SafeFix"/> on this host. Returns false (with the reason logged) when it cannot.</summary>
public sealed class SafeFixer(ProcessRunner runner, string includeDir = "/usr/include")
{
    public string StroptsPath => Path.Combine(includeDir, "stropts.h");

    public async Task<bool> ApplyAsync(SafeFix fix, CancellationToken cancellationToken)
    {
        switch (fix)
        {
            case SafeFix.StroptsShim:
                return CreateStroptsShim();
            case SafeFix.InstallBzip2:
                return await InstallAsync("bzip2", cancellationToken).ConfigureAwait(false);
            default:
                return false;
        }
    }

    private bool CreateStroptsShim()
    {
        if (File.Exists(StroptsPath))
        {
            runner.Log.Info($"auto-fix: {StroptsPath} already exists; left as it is");
            return true;
        }

        try
        {
            // Empty on purpose: nothing in the build uses STREAMS, the include only has to resolve.
            Files.AtomicFile.WriteAllBytes(StroptsPath, [], Files.AtomicFile.DefaultMode);
            runner.Log.Info($"auto-fix: created an empty {StroptsPath} (0644)");
            return true;
        }
        catch (ToolkitException ex) when (ex.InnerException is UnauthorizedAccessException)
        {
            runner.Log.Warn($"auto-fix: cannot write {StroptsPath} without root; run: sudo touch {StroptsPath}");
            return false;
        }
    }

    private async Task<bool> InstallAsync(string package, CancellationToken cancellationToken)
    {
        var installer = new[] { ("apt-get", new[] { "install", "-y", package }), ("dnf", new[] { "install", "-y", package }), ("yum", new[] { "install", "-y", package }) }
            .FirstOrDefault(c => ProgramPath.Find(c.Item1) is not null);
        if (installer.Item1 is null)
        {
            runner.Log.Warn($"auto-fix: no apt-get, dnf or yum here; install {package} by hand");
            return false;
        }

        runner.Log.Info($"auto-fix: {installer.Item1} {string.Join(' ', installer.Item2)}");
        var spec = new ProcessSpec(installer.Item1, installer.Item2)
        {
            Timeout = TimeSpan.FromMinutes(10),
            Environment = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" },
        };
        var result = await runner.RunAsync(spec, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            runner.Log.Warn($"auto-fix: installing {package} failed (exit {result.ExitCode}); run as root: {installer.Item1} install -y {package}");
        }

        return result.Succeeded;
    }
}
