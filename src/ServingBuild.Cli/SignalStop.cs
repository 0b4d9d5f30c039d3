using System.Runtime.InteropServices;

namespace ServingBuild.Cli;

/// <summary>
/// SIGINT, SIGTERM and SIGHUP become one cancellation: the stage stops everything it started (servers get SIGINT,
/// then a kill after their grace period) and the process exits with 130, 143 or 129. Repeats are absorbed: a
/// terminal's Ctrl-C reaches this process and Cake forwards it again, and neither may cut the cleanup short.
/// </summary>
internal sealed class SignalStop : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _signal;

    public SignalStop()
    {
        _registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(s => PosixSignalRegistration.Create(s, OnSignal))];
    }

    public CancellationToken Token => _cts.Token;

    /// <summary>The first signal received, or null.</summary>
    public PosixSignal? Signal => _signal == 0 ? null : (PosixSignal)_signal;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.CompareExchange(ref _signal, (int)context.Signal, 0) == 0)
        {
            _cts.Cancel();
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cts.Dispose();
    }
}
