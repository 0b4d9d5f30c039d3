using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using ServingBuild.Files;

namespace ServingBuild.BazelBuild;

/// <summary>
/// artifacts/bin/tensorflow_model_server.manifest.json: what the exported server is and what it needs from a host.
/// The schema is fixed (README, "The exported server"): a bash exporter for CentOS 7 hosts writes the same bytes,
/// so the keys keep this order, nulls are written, indentation is two spaces and the file ends with one newline.
/// </summary>
public sealed record ServerManifest
{
    public const int CurrentSchema = 1;
    public const string Suffix = ".manifest.json";

    /// <summary>CentOS 7's glibc and the newest libstdc++ symbol version its system compiler (gcc 4.8.5) ships.</summary>
    public static readonly Version CentOs7Glibc = new(2, 17);

    public static readonly Version CentOs7Glibcxx = new(3, 4, 19);

    [JsonPropertyOrder(0)] public int Schema { get; init; } = CurrentSchema;
    [JsonPropertyOrder(1)] public required string Binary { get; init; }
    [JsonPropertyOrder(2)] public required string Sha256 { get; init; }
    [JsonPropertyOrder(3)] public long Size { get; init; }
    [JsonPropertyOrder(4)] public string? BazelVersion { get; init; }
    [JsonPropertyOrder(5)] public IReadOnlyList<string> BazelOptions { get; init; } = [];
    [JsonPropertyOrder(6)] public string? ServingCommit { get; init; }
    [JsonPropertyOrder(7)] public string? ServingVersion { get; init; }
    [JsonPropertyOrder(8)] public string? Glibc { get; init; }
    [JsonPropertyOrder(9)] public string? Glibcxx { get; init; }
    [JsonPropertyOrder(10), JsonPropertyName("centos7Compatible")] public bool CentOs7Compatible { get; init; }

    /// <summary>The manifest's path beside a binary.</summary>
    public static string PathFor(string binary) => binary + Suffix;

    /// <summary>Needs at most GLIBC_2.17 and GLIBCXX_3.4.19 (a missing need counts as met).</summary>
    public static bool RunsOnCentOs7(Version? glibc, Version? glibcxx) =>
        (glibc is null || glibc <= CentOs7Glibc) && (glibcxx is null || glibcxx <= CentOs7Glibcxx);

    public string ToJson() => JsonSerializer.Serialize(this, ServerManifestJson.Indented.ServerManifest) + "\n";

    public void WriteTo(string path) => AtomicFile.WriteAllText(path, ToJson(), Permissions.Readable);

    /// <summary>Reads a manifest; throws one line naming the file when it is not one.</summary>
    public static ServerManifest ReadFrom(string path)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize(File.ReadAllText(path), ServerManifestJson.Indented.ServerManifest);
            if (manifest is null || manifest.Schema != CurrentSchema || manifest.Sha256.Length != 64)
            {
                throw new ToolkitException($"{path} is not a server manifest of schema {CurrentSchema}; export the server again with ./build.sh --target=BazelBuild");
            }

            return manifest;
        }
        catch (JsonException ex)
        {
            throw new ToolkitException($"{path} is not valid JSON ({ex.Message}); export the server again with ./build.sh --target=BazelBuild");
        }
    }

    /// <summary>Written the same way by the toolkit and by the bash exporter (see the class summary).</summary>
    public static readonly JsonSerializerOptions WriterOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        IndentCharacter = ' ',
        IndentSize = 2,
        NewLine = "\n",
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // Only ", \ and control characters are escaped, as a plain JSON writer in bash does; the default
        // encoder would also escape +, <, > and ' in Bazel options.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>0644: the manifest is data.</summary>
    private static class Permissions
    {
        public const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    }
}
