using System.Security.Cryptography;
using System.Text.Json;

namespace ServingBuild.Stubs;

/// <summary>
/// protos/protos.lock.json as the Protos stage writes it: {"outputs": {"relative/path.proto": "sha256hex"},
/// "servingVersion": "x.y.z" or null}. The Stubs stage builds the client only from protos that match it, so a
/// hand edit or a half-finished Protos run cannot slip into the package.
/// Kept in this one file so it can switch to the Protos stage's own reader without touching the rest.
/// </summary>
public sealed record ProtosLock(IReadOnlyDictionary<string, string> Outputs, string? ServingVersion)
{
    public const string FileName = "protos.lock.json";

    /// <summary>Reads the lock in <paramref name="protosDir"/> and checks every .proto there against it.</summary>
    public static ProtosLock ReadAndCheck(string protosDir)
    {
        const string fix = "run ./build.sh --target=Protos to regenerate protos/ and its lock";
        if (!Directory.Exists(protosDir))
        {
            throw new ProtosLockMismatchException($"{protosDir} does not exist; {fix}");
        }

        var lockPath = Path.Combine(protosDir, FileName);
        if (!File.Exists(lockPath))
        {
            throw new ProtosLockMismatchException($"{lockPath} is missing, so protos/ cannot be trusted; {fix}");
        }

        var theLock = Parse(lockPath);
        var onDisk = Directory.EnumerateFiles(protosDir, "*.proto", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(protosDir, f).Replace('\\', '/'))
            .ToHashSet(StringComparer.Ordinal);

        foreach (var (relative, expected) in theLock.Outputs.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var full = Path.Combine(protosDir, relative);
            if (!onDisk.Contains(relative))
            {
                throw new ProtosLockMismatchException($"{full} is listed in {FileName} but missing; {fix}");
            }

            var actual = Sha256(full);
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
            {
                throw new ProtosLockMismatchException($"{full} was changed after the Protos stage wrote it (sha256 {actual[..12]}…, lock says {expected[..Math.Min(12, expected.Length)]}…); {fix}");
            }
        }

        var extra = onDisk.Where(f => !theLock.Outputs.ContainsKey(f)).Order(StringComparer.Ordinal).FirstOrDefault();
        if (extra is not null)
        {
            throw new ProtosLockMismatchException($"{Path.Combine(protosDir, extra)} is not listed in {FileName} (it would be compiled into the client); remove it or {fix}");
        }

        return theLock;
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static ProtosLock Parse(string lockPath)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(lockPath));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("outputs", out var outputs) || outputs.ValueKind != JsonValueKind.Object)
            {
                throw new ProtosLockMismatchException($"{lockPath}: no \"outputs\" object; run ./build.sh --target=Protos to rewrite it");
            }

            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in outputs.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String || entry.Name.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(entry.Name))
                {
                    throw new ProtosLockMismatchException($"{lockPath}: entry \"{entry.Name}\" is not a relative path with a sha256 string; run ./build.sh --target=Protos to rewrite it");
                }

                map[entry.Name] = entry.Value.GetString()!;
            }

            string? version = root.TryGetProperty("servingVersion", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return new ProtosLock(map, string.IsNullOrWhiteSpace(version) ? null : version);
        }
        catch (JsonException ex)
        {
            throw new ProtosLockMismatchException($"{lockPath}:{ex.LineNumber + 1}: not valid JSON ({ex.Message.Split('.')[0]}); run ./build.sh --target=Protos to rewrite it");
        }
    }
}
