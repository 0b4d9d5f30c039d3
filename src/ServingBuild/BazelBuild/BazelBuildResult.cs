namespace ServingBuild.BazelBuild;

/// <summary>What one BazelBuild run left: the server binary, Bazel's process summary, time, and the log.</summary>
public sealed record BazelBuildResult(
    string BinaryPath,
    TimeSpan Elapsed,
    ProcessSummary? Summary,
    string LogPath,
    IReadOnlyList<string> Arguments,
    IReadOnlyList<Diagnosis> FixedOnTheWay)
{
    /// <summary>artifacts/bin/tensorflow_model_server, the copy later jobs receive; null under --dry-run.</summary>
    public string? ExportedBinary { get; init; }

    /// <summary>The manifest written beside <see cref="ExportedBinary"/>.</summary>
    public ServerManifest? Manifest { get; init; }
}
