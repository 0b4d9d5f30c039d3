using System.Text.Json.Serialization;

namespace ServingBuild.Tasks;

/// <summary>One task's latest run in artifacts/summary.json.</summary>
public sealed record RunSummaryEntry
{
    [JsonPropertyOrder(0)] public required string Task { get; init; }

    /// <summary>succeeded, failed or interrupted.</summary>
    [JsonPropertyOrder(1)] public required string Status { get; init; }

    /// <summary>UTC, ISO 8601.</summary>
    [JsonPropertyOrder(2)] public DateTimeOffset Start { get; init; }

    [JsonPropertyOrder(3)] public double DurationSeconds { get; init; }
    [JsonPropertyOrder(4)] public int ExitCode { get; init; }

    /// <summary>The one-line error of a failed run.</summary>
    [JsonPropertyOrder(5)] public string? Error { get; init; }

    /// <summary>Files and folders the run produced, relative to the toolkit's root when inside it.</summary>
    [JsonPropertyOrder(6)] public IReadOnlyList<string> Outputs { get; init; } = [];

    [JsonPropertyOrder(7)] public string? Log { get; init; }
}
