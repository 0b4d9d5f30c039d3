using Google.Protobuf.Reflection;
using ServingBuild.Protos.Drift;

namespace ServingBuild.Protos;

/// <summary>
/// The proof that the rewrite changed nothing on the wire: the output, compiled alone, against upstream's
/// descriptors, by the same rules as the drift check (every rule of the registry, WIRE and WIRE_JSON and the
/// FILE deletions), with the service limited to the kept methods. Any finding at all, a change or an
/// addition, is a bug in the rewrite.
/// </summary>
public static class WireDiff
{
    /// <param name="upstream">upstream's descriptors (every file of the closure)</param>
    /// <param name="output">the output's descriptors, compiled from --protos-out alone</param>
    /// <param name="outputNames">upstream file name -> output file name, for every file the output holds</param>
    /// <param name="keptRpcs">the methods the output's service must have, and only those</param>
    /// <param name="removedImports">the imports the rewrite removed; not compared (an import changes nothing on the wire, and the output compiling alone proves none is missing)</param>
    public static IReadOnlyList<DescriptorFinding> Compare(FileDescriptorSet upstream, FileDescriptorSet output,
        IReadOnlyDictionary<string, string> outputNames, IReadOnlyCollection<string> keptRpcs, IReadOnlyCollection<(string File, string Import)> removedImports)
    {
        _ = removedImports;
        var pairs = new DescriptorPairs(new DescriptorSide(upstream), new DescriptorSide(output))
        {
            AfterFileOf = n => outputNames.TryGetValue(n, out var o) ? o : null,
            FileInScope = outputNames.ContainsKey,
            MethodInScope = (_, m) => keptRpcs.Contains(m),
        };
        var findings = DescriptorComparer.Compare(pairs, typesAddedToFiles: true).ToList();

        foreach (var (upstreamName, _) in outputNames.Where(kv => !pairs.Before.Files.ContainsKey(kv.Key)))
        {
            findings.Add(new DescriptorFinding("FILE_NO_DELETE", FindingClass.Change, upstreamName, "is not in upstream's descriptors"));
        }

        foreach (var extra in output.File.Where(f => !outputNames.Values.Contains(f.Name) && !f.Name.StartsWith("google/protobuf/", StringComparison.Ordinal)))
        {
            findings.Add(new DescriptorFinding(DescriptorFinding.AdditionRule, FindingClass.Addition, extra.Name, "is in the output but not in upstream's closure"));
        }

        return findings;
    }
}
