using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ServingBuild.Protos;

namespace ServingBuild.Stubs;

/// <summary>
/// What the last successful Stubs run was built from: one SHA-256 over every input (protos/ and its lock, the
/// client's, the verifier's and the library's sources, the repository's build props, the package version and kept RPCs).
/// Equal hash and outputs still present: nothing to do.
/// </summary>
public sealed record StubsStamp(string InputsHash, string PackageVersion, string PackagePath)
{
    public static string ComputeInputsHash(string root, string protosDir, string packageVersion, IEnumerable<string> keptRpcs)
    {
        var files = new List<(string Label, string Path)>();
        void AddTree(string label, string dir)
        {
            if (!Directory.Exists(dir))
            {
                return;
            }

            foreach (var f in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            {
                var rel = Path.GetRelativePath(dir, f).Replace('\\', '/');
                if (rel.StartsWith("bin/", StringComparison.Ordinal) || rel.StartsWith("obj/", StringComparison.Ordinal))
                {
                    continue;
                }

                files.Add((label + "/" + rel, f));
            }
        }

        AddTree("protos", protosDir);
        AddTree("client", Path.Combine(root, "src", "TensorFlowServing.Client"));
        AddTree("verifier", Path.Combine(root, "src", "ServingBuild.Verifier"));
        // The verifier links the library (its report types), so a library change rebuilds it too.
        AddTree("library", Path.Combine(root, "src", "ServingBuild"));
        foreach (var name in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" })
        {
            var p = Path.Combine(root, name);
            if (File.Exists(p))
            {
                files.Add((name, p));
            }
        }

        var text = new StringBuilder();
        text.Append("version=").Append(packageVersion).Append('\n');
        text.Append("keep=").Append(string.Join(',', keptRpcs.Order(StringComparer.Ordinal))).Append('\n');
        text.Append("protosDir=").Append(Path.GetFullPath(protosDir)).Append('\n');
        foreach (var (label, path) in files.OrderBy(f => f.Label, StringComparer.Ordinal))
        {
            text.Append(label).Append('=').Append(ProtosLock.Sha256(path)).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public static StubsStamp? Read(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<StubsStamp>(File.ReadAllText(path)) : null;
        }
        catch (JsonException)
        {
            return null; // A damaged stamp only means one rebuild.
        }
    }

    public void Write(string path)
    {
        Files.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }));
    }
}
