using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.Test;

/// <summary>
/// What the test suite needs, installed before the tests run: the Debian/Ubuntu packages (through the
/// Provision stage's Debian plan, tests profile) and PowerShell as a dotnet tool (CI runs build.ps1 under it).
/// </summary>
public static class TestPrerequisites
{
    public const string PowerShellVersion = "7.6.9";

    /// <summary>Where the PowerShell dotnet tool is installed: &lt;cache&gt;/tools/pwsh/pwsh.</summary>
    public static string PowerShellPath(string cacheDir) => Path.Combine(cacheDir, "tools", "pwsh", "pwsh");

    public static async Task EnsureAsync(StageContext context, CancellationToken cancellationToken)
    {
        await Provision.ProvisionStage.EnsureTestPrerequisitesAsync(context, cancellationToken);

        // buf, the drift tests' oracle (npm); a step of its own.
        await BufTool.EnsureAsync(context, cancellationToken);

        var pwsh = PowerShellPath(context.Options.CacheDir);
        if (!File.Exists(pwsh))
        {
            context.Log.Info($"installing PowerShell {PowerShellVersion} (dotnet tool) into {Path.GetDirectoryName(pwsh)}");
            await context.Runner.RunCheckedAsync(
                new ProcessSpec("dotnet", "tool", "update", "--tool-path", Path.GetDirectoryName(pwsh)!, "PowerShell", "--version", PowerShellVersion)
                {
                    Timeout = TimeSpan.FromMinutes(10),
                },
                "installing PowerShell for the build.ps1 tests",
                cancellationToken: cancellationToken);
        }
    }
}
