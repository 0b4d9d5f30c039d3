using System.Security.Cryptography;
using System.Text.Json;
using Google.Protobuf.Reflection;

namespace ServingBuild.Protos;

/// <summary>
/// protos.lock.json: where the protos came from (paths relative to the toolkit's root when inside it, so a
/// fresh clone agrees), git commit and tag, serving version, sha256 of every input and output, what was
/// stripped, the protoc used, and the output's descriptors (base64) so drift can be computed later without
/// the old tree. The Stubs stage reads it to check protos/ and to version its package.
/// </summary>
public sealed record ProtosLock
{
    public const string FileName = "protos.lock.json";
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;

    /// <summary>The serving tree, relative to the toolkit's root when inside it.</summary>
    public required string ServingDir { get; init; }

    /// <summary>TensorFlow's proto root, relative to the toolkit's root when inside it.</summary>
    public required string TensorflowDir { get; init; }

    /// <summary>protoc's include folders in search order (same convention); inputs point into this list.</summary>
    public required IReadOnlyList<string> IncludeRoots { get; init; }

    public string? GitCommit { get; init; }
    public string? GitTag { get; init; }

    /// <summary>The serving release (e.g. 2.20.0) when the tree says so; the Stubs stage versions its package with it.</summary>
    public string? ServingVersion { get; init; }

    public required string Layout { get; init; }
    public required IReadOnlyList<string> KeptRpcs { get; init; }
    public required IReadOnlyList<string> RemovedRpcs { get; init; }
    public required IReadOnlyList<string> RemovedImports { get; init; }
    public required string Protoc { get; init; }
    public required string ProtocPackage { get; init; }
    public required IReadOnlyList<LockedFile> Inputs { get; init; }
    public required IReadOnlyList<LockedFile> Outputs { get; init; }

    /// <summary>The output's FileDescriptorSet, base64: the "before" side of the next drift report.</summary>
    public required string Descriptors { get; init; }

    /// <summary>Reads dir/protos.lock.json; null when there is none.</summary>
    public static ProtosLock? Read(string dir)
    {
        var path = Path.Combine(dir, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            // Read through JsonDocument (precompiled in the framework) rather than a serializer: the
            // up-to-date check runs this once per process, where JIT time is most of the cost.
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var r = doc.RootElement;
            // Name the field in the message: a lock from an older or hand-written format fails here, and
            // "key not found" alone would not say which.
            JsonElement Field(string name) => r.ValueKind == JsonValueKind.Object && r.TryGetProperty(name, out var v) ? v : throw new JsonException($"no \"{name}\" field");
            JsonElement.ArrayEnumerator Array(string name) => Field(name) is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray() : throw new JsonException($"\"{name}\" is not a list");
            string Str(string name) => Field(name).GetString() ?? throw new JsonException($"{name} is null");
            string? Opt(string name) => r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            IReadOnlyList<string> List(string name) => Array(name).Select(e => e.GetString() ?? "").ToList();
            IReadOnlyList<LockedFile> Files(string name) => Array(name)
                .Select(e => new LockedFile(
                    e.GetProperty("path").GetString() ?? "",
                    e.GetProperty("sha256").GetString() ?? "",
                    e.TryGetProperty("root", out var root) ? root.GetInt32() : 0))
                .ToList();
            return new ProtosLock
            {
                Format = Field("format").GetInt32(),
                ServingDir = Str("servingDir"),
                TensorflowDir = Str("tensorflowDir"),
                IncludeRoots = List("includeRoots"),
                GitCommit = Opt("gitCommit"),
                GitTag = Opt("gitTag"),
                ServingVersion = Opt("servingVersion"),
                Layout = Str("layout"),
                KeptRpcs = List("keptRpcs"),
                RemovedRpcs = List("removedRpcs"),
                RemovedImports = List("removedImports"),
                Protoc = Str("protoc"),
                ProtocPackage = Str("protocPackage"),
                Inputs = Files("inputs"),
                Outputs = Files("outputs"),
                Descriptors = Str("descriptors"),
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ProtosLockInvalidException(path, ex.Message);
        }
    }

    /// <summary>The lock as indented JSON, written field by field with Utf8JsonWriter (precompiled in the framework: no JIT-heavy serializer on the cold path).</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            void List(string name, IReadOnlyList<string> items)
            {
                w.WriteStartArray(name);
                foreach (var i in items)
                {
                    w.WriteStringValue(i);
                }

                w.WriteEndArray();
            }

            void Files(string name, IReadOnlyList<LockedFile> files, bool withRoot)
            {
                w.WriteStartArray(name);
                foreach (var f in files)
                {
                    w.WriteStartObject();
                    w.WriteString("path", f.Path);
                    w.WriteString("sha256", f.Sha256);
                    if (withRoot)
                    {
                        w.WriteNumber("root", f.Root);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteStartObject();
            w.WriteNumber("format", Format);
            w.WriteString("servingDir", ServingDir);
            w.WriteString("tensorflowDir", TensorflowDir);
            List("includeRoots", IncludeRoots);
            w.WriteString("gitCommit", GitCommit);
            w.WriteString("gitTag", GitTag);
            w.WriteString("servingVersion", ServingVersion);
            w.WriteString("layout", Layout);
            List("keptRpcs", KeptRpcs);
            List("removedRpcs", RemovedRpcs);
            List("removedImports", RemovedImports);
            w.WriteString("protoc", Protoc);
            w.WriteString("protocPackage", ProtocPackage);
            Files("inputs", Inputs, withRoot: true);
            Files("outputs", Outputs, withRoot: false);
            w.WriteString("descriptors", Descriptors);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    public FileDescriptorSet PreviousDescriptors() =>
        FileDescriptorSet.Parser.ParseFrom(Convert.FromBase64String(Descriptors));

    /// <summary>What in dir differs from the lock's outputs (changed, missing or extra .proto files); empty when it matches.</summary>
    public IReadOnlyList<string> Verify(string dir)
    {
        var problems = new List<string>();
        foreach (var output in Outputs)
        {
            var path = Path.Combine(dir, output.Path);
            if (!File.Exists(path))
            {
                problems.Add($"{output.Path} is missing");
            }
            else if (Sha256(path) != output.Sha256)
            {
                problems.Add($"{output.Path} changed");
            }
        }

        if (Directory.Exists(dir))
        {
            var listed = Outputs.Select(o => o.Path).ToHashSet(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(dir, "*.proto", SearchOption.AllDirectories))
            {
                var rel = Path.GetRelativePath(dir, file).Replace('\\', '/');
                if (!listed.Contains(rel))
                {
                    problems.Add($"{rel} is not in the lock");
                }
            }
        }

        return problems;
    }

    /// <summary>For the Stubs stage: the lock of dir, checked against its files; throws with the fix when they differ.</summary>
    public static ProtosLock ReadVerified(string dir)
    {
        if (!Directory.Exists(dir))
        {
            throw ProtosOutOfDateException.NoFolder(dir);
        }

        var lockFile = Read(dir) ?? throw ProtosOutOfDateException.NoLock(dir);
        var problems = lockFile.Verify(dir);
        if (problems.Count > 0)
        {
            throw new ProtosOutOfDateException(dir, string.Join(", ", problems.Take(3)) + (problems.Count > 3 ? $" and {problems.Count - 3} more" : ""));
        }

        return lockFile;
    }

    public static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Relative to root (with '/') when inside it, else absolute: so the committed lock has no machine paths.</summary>
    public static string Portable(string path, string root)
    {
        var rel = Path.GetRelativePath(root, path);
        return rel == "." ? "." : rel.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(rel) ? Path.GetFullPath(path) : rel.Replace('\\', '/');
    }

    public static string Resolve(string portable, string root) =>
        Path.IsPathRooted(portable) ? portable : Path.GetFullPath(Path.Combine(root, portable));
}
