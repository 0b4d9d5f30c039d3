using System.Text.Json.Serialization;

namespace ServingBuild.Tasks;

/// <summary>artifacts/summary.json: the latest run of each task, in pipeline order.</summary>
public sealed record RunSummaryDocument
{
    public const int CurrentSchema = 1;

    [JsonPropertyOrder(0)] public int Schema { get; init; } = CurrentSchema;
    [JsonPropertyOrder(1)] public DateTimeOffset Updated { get; init; }
    [JsonPropertyOrder(2)] public IReadOnlyList<RunSummaryEntry> Tasks { get; init; } = [];
}
