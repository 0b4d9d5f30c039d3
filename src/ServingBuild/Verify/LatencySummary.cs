namespace ServingBuild.Verify;

/// <summary>Latency of sequential Predict calls, in milliseconds.</summary>
public sealed record LatencySummary(int Calls, double P50Ms, double P99Ms, double MaxMs);
