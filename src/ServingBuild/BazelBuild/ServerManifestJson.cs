using System.Text.Json.Serialization;

namespace ServingBuild.BazelBuild;

/// <summary>Source-generated (de)serialization of <see cref="ServerManifest"/>, with the writer settings the schema fixes.</summary>
[JsonSerializable(typeof(ServerManifest))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
public sealed partial class ServerManifestJson : JsonSerializerContext
{
    /// <summary>The context with <see cref="ServerManifest.WriterOptions"/>.</summary>
    public static ServerManifestJson Indented { get; } = new(new System.Text.Json.JsonSerializerOptions(global::ServingBuild.BazelBuild.ServerManifest.WriterOptions));
}
