namespace ServingBuild.Verify;

/// <summary>
/// Predict calls completed per second by concurrent callers sharing one channel, and what each call cost the
/// calling process: CPU time (user and system) and bytes allocated. On a host shared with the server those two
/// explain the rate: the CPU a client spends per call is CPU the server does not get.
/// </summary>
public sealed record ThroughputSummary(int Callers, long Calls, long Errors, double Seconds, double CallsPerSecond)
{
    public double? CpuMicrosecondsPerCall { get; init; }

    public double? AllocatedBytesPerCall { get; init; }
}
