using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServingBuild.Protos;

/// <summary>A serving version in JSON is its normalised string; an older lock's "2.20" reads as 2.20.0.</summary>
public sealed class ServingVersionJsonConverter : JsonConverter<ServingVersion>
{
    public override ServingVersion Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return ServingVersion.TryParse(text) ?? throw new JsonException($"\"{text}\" is not a serving version such as 2.20.0");
    }

    public override void Write(Utf8JsonWriter writer, ServingVersion value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
