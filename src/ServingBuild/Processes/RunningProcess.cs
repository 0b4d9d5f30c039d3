using System.Runtime.CompilerServices;

namespace ServingBuild.Processes;

/// <summary>A started process: its id, its completion, and a stop that asks first (SIGINT) and kills after a grace period.</summary>
public sealed class RunningProcess
{
    private readonly CancellationTokenSource _graceful;
    private readonly CancellationTokenSource _forceful;
    private readonly TimeSpan _grace;
    private readonly StrongBox<bool> _stopRequested;

    internal RunningProcess(int processId, Task<ProcessResult> completion, CancellationTokenSource graceful, CancellationTokenSource forceful, TimeSpan grace, StrongBox<bool> stopRequested)
    {
        ProcessId = processId;
        Completion = completion;
        _graceful = graceful;
        _forceful = forceful;
        _grace = grace;
        _stopRequested = stopRequested;
    }

    public int ProcessId { get; }
    public Task<ProcessResult> Completion { get; }
    public bool HasExited => Completion.IsCompleted;

    /// <summary>Stops the process: SIGINT, then a kill once the grace period has passed. Safe to call twice.</summary>
    public async Task<ProcessResult> StopAsync()
    {
        if (!Completion.IsCompleted)
        {
            try
            {
                _stopRequested.Value = true;
                _graceful.Cancel();
                _forceful.CancelAfter(_grace);
            }
            catch (ObjectDisposedException)
            {
                // Already finished between the check and the cancel.
            }
        }

        try
        {
            return await Completion.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return new ProcessResult(-1, TimeSpan.Zero, "", "", [], TimedOut: false);
        }
    }
}
