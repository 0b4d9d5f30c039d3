using Google.Protobuf.Reflection;

namespace ServingBuild.Protos;

/// <summary>
/// The proof that the rewrite changed nothing on the wire: the output, compiled alone, against upstream's
/// descriptors file by file (package, messages with every field attribute, reserved ranges, enums) and the
/// service (full name; exactly the kept methods, each with upstream's request and response types).
/// Any finding at all is a bug in the rewrite.
/// </summary>
public static class WireDiff
{
    /// <param name="upstream">upstream's descriptors (every file of the closure)</param>
    /// <param name="output">the output's descriptors, compiled from --protos-out alone</param>
    /// <param name="outputNames">upstream file name -> output file name, for every file the output holds</param>
    /// <param name="keptRpcs">the methods the output's service must have, and only those</param>
    public static IReadOnlyList<DescriptorFinding> Compare(FileDescriptorSet upstream, FileDescriptorSet output,
        IReadOnlyDictionary<string, string> outputNames, IReadOnlyCollection<string> keptRpcs, IReadOnlyCollection<(string File, string Import)> removedImports)
    {
        var cmp = new DescriptorComparer();
        var outputFiles = output.File.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var upstreamFiles = upstream.File.ToDictionary(f => f.Name, StringComparer.Ordinal);
        foreach (var (upstreamName, outputName) in outputNames)
        {
            if (!upstreamFiles.TryGetValue(upstreamName, out var u))
            {
                cmp.Add("FILE_NO_DELETE", FindingClass.WireBreaking, upstreamName, "is not in upstream's descriptors");
                continue;
            }

            if (!outputFiles.TryGetValue(outputName, out var o))
            {
                cmp.Add("FILE_NO_DELETE", FindingClass.WireBreaking, outputName, $"was not produced (upstream {upstreamName})");
                continue;
            }

            if (u.Package != o.Package)
            {
                cmp.Add("FILE_SAME_PACKAGE", FindingClass.WireBreaking, outputName, $"package {u.Package} became {o.Package}");
            }

            if (u.Syntax != o.Syntax)
            {
                cmp.Add("FILE_SAME_SYNTAX", FindingClass.WireBreaking, outputName, $"syntax {u.Syntax} became {o.Syntax}");
            }

            var expectedImports = u.Dependency.Where(d => !removedImports.Contains((u.Name, d)))
                .Select(d => outputNames.TryGetValue(d, out var n) ? n : d).ToList();
            if (!expectedImports.SequenceEqual(o.Dependency))
            {
                cmp.Add("FILE_SAME_IMPORTS", FindingClass.WireBreaking, outputName, $"imports [{string.Join(", ", o.Dependency)}], expected [{string.Join(", ", expectedImports)}]");
            }

            var scope = u.Package.Length == 0 ? "" : u.Package;
            cmp.CompareNamed(scope, u.MessageType, o.MessageType, m => m.Name, "MESSAGE_NO_DELETE", "MESSAGE_ADDED",
                (name, b, a) => cmp.CompareMessage(name, b, a, nested: true));
            cmp.CompareNamed(scope, u.EnumType, o.EnumType, e => e.Name, "ENUM_NO_DELETE", "ENUM_ADDED", cmp.CompareEnum);
            cmp.CompareNamed(scope, u.Extension, o.Extension, e => e.Name, "EXTENSION_NO_DELETE", "EXTENSION_ADDED", (_, _, _) => { });
            cmp.CompareNamed(scope, u.Service, o.Service, s => s.Name, "SERVICE_NO_DELETE", "SERVICE_ADDED", (name, us, os) =>
            {
                var kept = us.Method.Where(m => keptRpcs.Contains(m.Name));
                cmp.CompareNamed(name, kept, os.Method, m => m.Name, "RPC_NO_DELETE", "RPC_ADDED", (n, b, a) => cmp.CompareMethod(n, b, a));
            });
        }

        foreach (var extra in output.File.Where(f => !outputNames.Values.Contains(f.Name) && !f.Name.StartsWith("google/protobuf/", StringComparison.Ordinal)))
        {
            cmp.Add("FILE_ADDED", FindingClass.Additive, extra.Name, "is in the output but not in upstream's closure");
        }

        return cmp.Findings;
    }
}
