namespace ServingBuild.Verify;

/// <summary>Predict calls completed per second by concurrent callers sharing one channel.</summary>
public sealed record ThroughputSummary(int Callers, long Calls, long Errors, double Seconds, double CallsPerSecond);
