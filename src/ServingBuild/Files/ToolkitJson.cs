using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using ServingBuild.Protos;
using ServingBuild.Stubs;
using ServingBuild.Verify;

namespace ServingBuild.Files;

/// <summary>
/// Every JSON file the toolkit reads or writes (protos.lock.json, the Stubs stamp, the Verify report), in one
/// style: web names (camelCase, read case-insensitively), indented, serialised by generated code rather than
/// run-time reflection. Use <see cref="Files"/>.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(ProtosLock))]
[JsonSerializable(typeof(StubsStamp))]
[JsonSerializable(typeof(VerifyReport))]
public sealed partial class ToolkitJson : JsonSerializerContext
{
    /// <summary>
    /// The attribute's options plus an encoder that leaves '+' and non-ASCII alone: the lock's base64 descriptors
    /// and paths stay as readable (and the committed lock as stable) as when they were written by hand.
    /// </summary>
    public static ToolkitJson Files { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
