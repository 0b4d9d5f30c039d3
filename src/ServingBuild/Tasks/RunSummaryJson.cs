using System.Text.Json.Serialization;

namespace ServingBuild.Tasks;

/// <summary>Source-generated (de)serialization of artifacts/summary.json.</summary>
[JsonSerializable(typeof(RunSummaryDocument))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
public sealed partial class RunSummaryJson : JsonSerializerContext;
