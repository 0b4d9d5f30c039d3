using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Google.Protobuf.Reflection;
using ServingBuild.Files;

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

    [JsonRequired]
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
    public ServingVersion? ServingVersion { get; init; }

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
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), ToolkitJson.Files.ProtosLock)
                ?? throw new ProtosLockInvalidException(path, "null instead of an object");
        }
        catch (JsonException ex)
        {
            throw new ProtosLockInvalidException(path, Describe(ex));
        }
    }

    /// <summary>The lock as indented JSON, in the toolkit's one JSON style (<see cref="ToolkitJson"/>).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ToolkitJson.Files.ProtosLock) + "\n";

    /// <summary>
    /// One line naming what is wrong, without the serializer's type names: a lock from an older or hand-written
    /// format fails here, and "could not be converted to IReadOnlyList`1" would not tell a user which field.
    /// </summary>
    internal static string Describe(JsonException ex)
    {
        const string Missing = "missing required properties including: ";
        var message = ex.Message;
        var missing = message.IndexOf(Missing, StringComparison.Ordinal);
        if (missing >= 0)
        {
            var names = message[(missing + Missing.Length)..].TrimEnd('.').Replace('\'', '"');
            return $"no {names} field" + (names.Contains(',', StringComparison.Ordinal) ? "s" : "");
        }

        if (!message.Contains(" Path: ", StringComparison.Ordinal))
        {
            return message; // The toolkit's own converters name the value already.
        }

        if (message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return ex.Path is { Length: > 2 } field ? $"\"{field[2..]}\" is not what the Protos stage writes" : "not a JSON object";
        }

        return $"not valid JSON at line {ex.LineNumber + 1}";
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
