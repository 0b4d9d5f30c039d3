using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.Host;

/// <summary>
/// Runs shell text on a build host: this machine or one reached over ssh. The plan's checks and actions and
/// the host probe all go through here, so one plan runs the same way everywhere.
/// </summary>
public interface IHostExecutor : IAsyncDisposable
{
    /// <summary>Where the commands run, for messages: "this machine" or "user@host".</summary>
    string Where { get; }

    /// <summary>How commands that need root are run; set once the host's facts are known.</summary>
    Elevation Elevation { get; set; }

    /// <summary>
    /// Runs <paramref name="script"/> with bash (set -euo pipefail) and returns its exit code and output.
    /// With <paramref name="asRoot"/> the script is elevated as <see cref="Elevation"/> says.
    /// </summary>
    Task<ProcessResult> RunAsync(string script, bool asRoot, Action<string>? onLine, TimeSpan? timeout, CancellationToken cancellationToken);
}
