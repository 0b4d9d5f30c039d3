using System.Text.Json;
using System.Text.Json.Serialization;
using ServingBuild.Files;

namespace ServingBuild.Verify;

/// <summary>
/// What Verify found: the server and binary, readiness, each check, latency and throughput. The verifier
/// program writes it; the stage adds the binary and writes artifacts/verify-report.json.
/// </summary>
public sealed record VerifyReport
{
    public required string Server { get; init; }
    public required string Model { get; init; }

    /// <summary>The model server binary the stage started; null with --server.</summary>
    public string? Binary { get; init; }

    public bool Ready { get; init; }
    public double ReadyAfterSeconds { get; init; }

    /// <summary>The last status seen while waiting, when the server never became ready.</summary>
    public string? NotReadyReason { get; init; }

    /// <summary>The model's status from ModelService.GetModelStatus, when the client has it.</summary>
    public ModelStatusSummary? ModelStatus { get; init; }

    /// <summary>Why there is no <see cref="ModelStatus"/> and how to get one.</summary>
    public string? ModelStatusNote { get; init; }

    public IReadOnlyList<VerifyCheck> Checks { get; init; } = [];
    public LatencySummary? Latency { get; init; }
    public ThroughputSummary? Throughput { get; init; }

    [JsonIgnore]
    public bool Passed => Ready && Checks.Count > 0 && Checks.All(c => c.Passed);

    public void WriteTo(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, ToolkitJson.Files.VerifyReport) + "\n");

    public static VerifyReport ReadFrom(string path) =>
        JsonSerializer.Deserialize(File.ReadAllBytes(path), ToolkitJson.Files.VerifyReport)
            ?? throw new ToolkitException($"{path} is empty; the verifier did not finish");
}
