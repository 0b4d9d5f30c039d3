using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServingBuild.Verify;

/// <summary>
/// What Verify found: the server and binary, readiness, each check, latency and throughput. The verifier
/// program writes it; the stage adds the binary and writes artifacts/verify-report.json.
/// </summary>
public sealed record VerifyReport
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

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

    public void WriteTo(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Json));
        File.Move(temp, path, overwrite: true);
    }

    public static VerifyReport ReadFrom(string path) =>
        JsonSerializer.Deserialize<VerifyReport>(File.ReadAllText(path), Json)
            ?? throw new ToolkitException($"{path} is empty; the verifier did not finish");
}
