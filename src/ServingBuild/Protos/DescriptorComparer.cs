using Google.Protobuf.Reflection;
using ServingBuild.Protos.Drift;

namespace ServingBuild.Protos;

/// <summary>
/// Runs every rule of the registry (<see cref="BreakingRules"/>) over paired descriptors and lists what was
/// added. WireDiff (the output against upstream) and ProtoDrift (upstream against the lock or a git ref) are
/// both built on it, so "the same on the wire" has one definition.
/// </summary>
public static class DescriptorComparer
{
    /// <param name="pairs">the paired sides and the scope</param>
    /// <param name="typesAddedToFiles">also report messages and enums that paired files gained (the drift check reports new reached types itself)</param>
    public static IReadOnlyList<DescriptorFinding> Compare(DescriptorPairs pairs, bool typesAddedToFiles = false)
    {
        var findings = BreakingRules.All.SelectMany(r => r.Check(pairs)).ToList();
        findings.AddRange(Additions(pairs, typesAddedToFiles));
        return findings;
    }

    private static IEnumerable<DescriptorFinding> Additions(DescriptorPairs p, bool typesAddedToFiles)
    {
        DescriptorFinding Added(string subject, string detail, FileDescriptorProto file, IReadOnlyList<int> path) =>
            new(DescriptorFinding.AdditionRule, FindingClass.Addition, subject, detail, null, p.After.Position(file, path));

        foreach (var (b, a) in p.Messages)
        {
            var numbers = b.Proto.Field.Select(f => f.Number).ToHashSet();
            var names = b.Proto.Field.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var f in DescriptorPairs.FieldsOf(a).Where(f => !numbers.Contains(f.Number)))
            {
                // A renumbered field is reported as deleted under its old number; its new number is still news.
                yield return Added(f.Subject, $"new field {f.Number} ({Describe(p.After, f)})" + (names.Contains(f.Proto.Name) ? " (renumbered)" : ""), a.File, f.Path);
            }

            foreach (var (r, i) in a.Proto.ReservedRange.Select((r, i) => (r, i)).Where(x => !b.Proto.ReservedRange.Any(o => o.Start == x.r.Start && o.End == x.r.End)))
            {
                yield return Added(a.Name, r.End - r.Start == 1 ? $"reserves {r.Start}" : $"reserves {r.Start} to {r.End - 1}", a.File, [.. a.Path, 9, i]);
            }

            foreach (var (n, i) in a.Proto.ReservedName.Select((n, i) => (n, i)).Where(x => !b.Proto.ReservedName.Contains(x.n)))
            {
                yield return Added(a.Name, $"reserves name {n}", a.File, [.. a.Path, 10, i]);
            }
        }

        foreach (var (b, a) in p.Enums)
        {
            var numbers = b.Proto.Value.Select(v => v.Number).ToHashSet();
            foreach (var (v, i) in a.Proto.Value.Select((v, i) => (v, i)).Where(x => !numbers.Contains(x.v.Number)))
            {
                yield return Added($"{a.Name}.{v.Name}", $"new value {v.Number}", a.File, [.. a.Path, 2, i]);
            }

            foreach (var (r, i) in a.Proto.ReservedRange.Select((r, i) => (r, i)).Where(x => !b.Proto.ReservedRange.Any(o => o.Start == x.r.Start && o.End == x.r.End)))
            {
                yield return Added(a.Name, r.End == r.Start ? $"reserves {r.Start}" : $"reserves {r.Start} to {r.End}", a.File, [.. a.Path, 4, i]);
            }

            foreach (var (n, i) in a.Proto.ReservedName.Select((n, i) => (n, i)).Where(x => !b.Proto.ReservedName.Contains(x.n)))
            {
                yield return Added(a.Name, $"reserves name {n}", a.File, [.. a.Path, 5, i]);
            }
        }

        foreach (var (b, a) in p.Services)
        {
            for (var i = 0; i < a.Proto.Method.Count; i++)
            {
                var m = a.Proto.Method[i];
                // New to the compared scope (the wire proof keeps only the kept RPCs in scope, so a stripped RPC left in the output shows here).
                if (!b.Proto.Method.Any(x => x.Name == m.Name && p.MethodInScope(b.FullName, x.Name)) && p.NewMethodMatters(a.FullName, m.Name))
                {
                    yield return Added($"{a.Name}.{m.Name}", "new RPC", a.File, [.. a.Path, 2, i]);
                }
            }
        }

        if (!typesAddedToFiles)
        {
            yield break;
        }

        foreach (var (bf, af) in p.FilePairs)
        {
            foreach (var m in p.After.Messages.Values.Where(m => m.File == af && !p.Before.Messages.ContainsKey(m.FullName)))
            {
                yield return Added(m.Name, "new message", af, m.Path);
            }

            foreach (var e in p.After.Enums.Values.Where(e => e.File == af && !p.Before.Enums.ContainsKey(e.FullName)))
            {
                yield return Added(e.Name, "new enum", af, e.Path);
            }

            foreach (var s in p.After.Services.Values.Where(s => s.File == af && !p.Before.Services.ContainsKey(s.FullName)))
            {
                yield return Added(s.Name, "new service", af, s.Path);
            }
        }
    }

    private static string Describe(DescriptorSide side, FieldElement f) =>
        (f.Proto.TypeName.Length > 0 ? f.Proto.TypeName.TrimStart('.') : f.Proto.Type.ToString().ToLowerInvariant())
        + (f.Proto.Label == FieldDescriptorProto.Types.Label.Repeated && !f.IsMap(side) ? ", repeated" : "");
}
