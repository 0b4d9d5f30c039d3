using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.Host;

/// <summary>Runs the host's commands on this machine through <see cref="ProcessRunner"/>, with `sudo -n` when not root.</summary>
public sealed class LocalExecutor : IHostExecutor
{
    private readonly ProcessRunner _runner;
    private readonly IReadOnlyList<string> _runAs;

    /// <param name="runner">Starts the processes (and logs them).</param>
    /// <param name="runAs">
    /// Words put before every command to run it as another user, e.g. setpriv --reuid=65534 --regid=65534
    /// --clear-groups --; empty runs as the current user.
    /// </param>
    public LocalExecutor(ProcessRunner runner, IReadOnlyList<string>? runAs = null)
    {
        _runner = runner;
        _runAs = runAs ?? [];
    }

    /// <summary>How messages name the machine the toolkit runs on (also the host script's words).</summary>
    public const string ThisMachine = "this machine";

    public string Where => ThisMachine;

    public Elevation Elevation { get; set; } = Elevation.Unknown;

    public Task<ProcessResult> RunAsync(string script, bool asRoot, Action<string>? onLine, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var words = _runAs.Concat(BashCommand.Words(script, asRoot, Elevation)).ToList();
        var spec = new ProcessSpec(words[0], words.Skip(1).ToArray()) { Timeout = timeout };
        return _runner.RunAsync(spec, onLine, cancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
