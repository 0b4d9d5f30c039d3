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
            runner.Log.Info(BazelBuildLines.ShimExists(StroptsPath));
            return true;
        }

        try
        {
            // Empty on purpose: nothing in the build uses STREAMS, the include only has to resolve.
            using (File.Create(StroptsPath))
            {
            }

            if (!OperatingSystem.IsWindows())

            {

                File.SetUnixFileMode(StroptsPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

            }
            runner.Log.Info(BazelBuildLines.ShimCreated(StroptsPath));
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            runner.Log.Warn(BazelBuildLines.ShimNoRoot(StroptsPath));
            return false;
        }
    }

    private async Task<bool> InstallAsync(string package, CancellationToken cancellationToken)
    {
        var installer = BazelBuildLines.Installers.Select(i => (i, new[] { "install", "-y", package }))
            .FirstOrDefault(c => OnPath(c.Item1));
        if (installer.Item1 is null)
        {
            runner.Log.Warn(BazelBuildLines.NoInstaller(package));
            return false;
        }

        runner.Log.Info(BazelBuildLines.Installing(installer.Item1, package));
        var spec = new ProcessSpec(installer.Item1, installer.Item2)
        {
            Timeout = TimeSpan.FromMinutes(10),
            Environment = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" },
        };
        var result = await runner.RunAsync(spec, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            runner.Log.Warn(BazelBuildLines.InstallFailed(installer.Item1, package, $"{result.ExitCode}"));
        }

        return result.Succeeded;
    }

    private static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(d => File.Exists(Path.Combine(d, name)));
}
