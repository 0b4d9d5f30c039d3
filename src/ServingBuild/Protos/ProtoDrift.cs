using Google.Protobuf.Reflection;
using ServingBuild.Protos.Drift;

namespace ServingBuild.Protos;

/// <summary>
/// What changed upstream since the lock (or since a git ref), limited to what the kept RPCs use: the files
/// of the service and of every message and enum their requests and responses reach. Changes are named by
/// buf's rules (<see cref="BreakingRules"/>); new things are additions.
/// </summary>
public static class ProtoDrift
{
    /// <param name="previous">the descriptors recorded in the lock, or parsed at a git ref (the "before" side)</param>
    /// <param name="current">upstream's descriptors now</param>
    /// <param name="kept">the RPCs both sides care about</param>
    /// <param name="previousRpcs">every RPC upstream had before (the lock's kept and removed); null: those in <paramref name="previous"/></param>
    /// <param name="displayBefore">how a before file is named in the report (a path a person can open)</param>
    /// <param name="displayAfter">how an after file is named in the report</param>
    public static IReadOnlyList<DescriptorFinding> Compare(FileDescriptorSet previous, FileDescriptorSet current, IReadOnlyCollection<string> kept,
        IReadOnlyCollection<string>? previousRpcs = null, Func<string, string>? displayBefore = null, Func<string, string>? displayAfter = null)
    {
        var before = new DescriptorSide(previous, displayBefore);
        var after = new DescriptorSide(current, displayAfter);
        var beforeIndex = new DescriptorIndex(previous);
        var afterIndex = new DescriptorIndex(current);

        var services = before.Services.Values.Where(s => s.Proto.Method.Any(m => kept.Contains(m.Name))).ToList();
        var roots = services.SelectMany(s => s.Proto.Method.Where(m => kept.Contains(m.Name))).SelectMany(m => new[] { m.InputType, m.OutputType }).ToList();
        var rootsNow = services.Where(s => after.Services.ContainsKey(s.FullName))
            .SelectMany(s => after.Services[s.FullName].Proto.Method.Where(m => kept.Contains(m.Name)))
            .SelectMany(m => new[] { m.InputType, m.OutputType }).ToList();
        var reached = beforeIndex.Reach(roots).ToHashSet(StringComparer.Ordinal);
        var files = reached.Select(beforeIndex.DefiningFile).OfType<string>().Concat(services.Select(s => s.File.Name)).ToHashSet(StringComparer.Ordinal);
        var known = previousRpcs ?? services.SelectMany(s => s.Proto.Method.Select(m => m.Name)).ToList();

        var pairs = new DescriptorPairs(before, after)
        {
            AfterFileOf = name => PairedFile(name, after),
            FileInScope = files.Contains,
            TypeInScope = reached.Contains,
            MethodInScope = (_, m) => kept.Contains(m),
            NewMethodMatters = (_, m) => !known.Contains(m),
        };
        var findings = DescriptorComparer.Compare(pairs).ToList();

        foreach (var name in afterIndex.Reach(rootsNow).Where(n => !reached.Contains(n) && afterIndex.DefiningFile(n) is not null && beforeIndex.DefiningFile(n) is null))
        {
            var isEnum = after.Enums.TryGetValue(name, out var e);
            var position = isEnum ? after.Position(e!.File, e.Path) : after.Position(after.Messages[name].File, after.Messages[name].Path);
            findings.Add(new DescriptorFinding(DescriptorFinding.AdditionRule, FindingClass.Addition, name.TrimStart('.'),
                isEnum ? "new enum, reached by a kept RPC" : "new message, reached by a kept RPC", null, position));
        }

        return findings;
    }

    /// <summary>For each kept RPC ("pkg.Service.Method"), the messages and enums it reaches before or after (names without the leading dot).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ReachedByRpc(FileDescriptorSet previous, FileDescriptorSet current, IReadOnlyCollection<string> kept)
    {
        var before = new DescriptorIndex(previous);
        var after = new DescriptorIndex(current);
        var now = Services(current).ToDictionary(s => s.FullName, s => s.Service, StringComparer.Ordinal);
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (fullName, service) in Services(previous))
        {
            foreach (var method in service.Method.Where(m => kept.Contains(m.Name)))
            {
                var reached = before.Reach([method.InputType, method.OutputType]).ToList();
                if (now.TryGetValue(fullName, out var s) && s.Method.FirstOrDefault(m => m.Name == method.Name) is { } match)
                {
                    reached.AddRange(after.Reach([match.InputType, match.OutputType]));
                }

                result[$"{fullName}.{method.Name}"] = reached.Select(r => r.TrimStart('.')).Distinct(StringComparer.Ordinal).ToList();
            }
        }

        return result;
    }

    /// <summary>The upstream file a lock's output file came from: the same name, or under tensorflow_serving/apis/ (the flat layout drops that prefix).</summary>
    private static string? PairedFile(string name, DescriptorSide after) =>
        after.Files.ContainsKey(name) ? name
        : after.Files.ContainsKey(StripPlan.ApisPrefix + name) ? StripPlan.ApisPrefix + name
        : null;

    private static IEnumerable<(string FullName, ServiceDescriptorProto Service)> Services(FileDescriptorSet set) =>
        set.File.SelectMany(f => f.Service.Select(s => (f.Package.Length == 0 ? s.Name : $"{f.Package}.{s.Name}", s)));
}
