namespace ServingBuild.BazelBuild;

/// <summary>What one BazelBuild run left: the server binary, Bazel's process summary, time, and the log.</summary>
public sealed record BazelBuildResult(
    string BinaryPath,
    TimeSpan Elapsed,
    ProcessSummary? Summary,
    string LogPath,
    IReadOnlyList<string> Arguments,
    IReadOnlyList<Diagnosis> FixedOnTheWay);
