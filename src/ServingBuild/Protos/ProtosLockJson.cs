using System.Text.Json.Serialization;

namespace ServingBuild.Protos;

/// <summary>Source-generated JSON for the lock: the up-to-date check must not pay for reflection-based serialization at start-up.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ProtosLock))]
internal sealed partial class ProtosLockJson : JsonSerializerContext
{
}
