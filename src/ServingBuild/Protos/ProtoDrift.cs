using Google.Protobuf.Reflection;

namespace ServingBuild.Protos;

/// <summary>
/// What changed upstream since the lock, limited to what the kept RPCs use: the service and its kept methods,
/// then every message and enum their requests and responses reach. Findings are named by buf's rules.
/// </summary>
public static class ProtoDrift
{
    /// <param name="previous">the descriptors recorded in the lock (or any "before" set)</param>
    /// <param name="current">upstream's descriptors now</param>
    /// <param name="kept">the RPCs both sides care about</param>
    /// <param name="previousRpcs">every RPC upstream had before (the lock's kept and removed); null: those in <paramref name="previous"/></param>
    public static IReadOnlyList<DescriptorFinding> Compare(FileDescriptorSet previous, FileDescriptorSet current, IReadOnlyCollection<string> kept,
        IReadOnlyCollection<string>? previousRpcs = null)
    {
        var cmp = new DescriptorComparer();
        var before = new DescriptorIndex(previous);
        var after = new DescriptorIndex(current);
        var afterServices = Services(current).ToDictionary(s => s.FullName, StringComparer.Ordinal);
        var roots = new List<string>();
        var rootsNow = new List<string>();
        foreach (var (fullName, service) in Services(previous))
        {
            var known = previousRpcs ?? service.Method.Select(m => m.Name).ToList();
            if (!afterServices.TryGetValue(fullName, out var now))
            {
                cmp.Add("SERVICE_NO_DELETE", FindingClass.WireBreaking, fullName, "was deleted");
                continue;
            }

            foreach (var method in service.Method.Where(m => kept.Contains(m.Name)))
            {
                roots.Add(method.InputType);
                roots.Add(method.OutputType);
                var match = now.Service.Method.FirstOrDefault(m => m.Name == method.Name);
                if (match is null)
                {
                    cmp.Add("RPC_NO_DELETE", FindingClass.WireBreaking, $"{fullName}.{method.Name}", "was deleted");
                    continue;
                }

                rootsNow.Add(match.InputType);
                rootsNow.Add(match.OutputType);
                cmp.CompareMethod($"{fullName}.{method.Name}", method, match);
            }

            foreach (var added in now.Service.Method.Where(m => !known.Contains(m.Name) && !service.Method.Any(p => p.Name == m.Name)))
            {
                cmp.Add("RPC_ADDED", FindingClass.Additive, $"{fullName}.{added.Name}", "new RPC (not kept; pass --keep-rpc to keep it)");
            }
        }

        var reached = before.Reach(roots);
        foreach (var name in reached)
        {
            var subject = name.TrimStart('.');
            if (before.TryMessage(name, out var m))
            {
                if (after.TryMessage(name, out var n))
                {
                    cmp.CompareMessage(subject, m, n, nested: false);
                }
                else
                {
                    cmp.Add("MESSAGE_NO_DELETE", FindingClass.WireBreaking, subject, "was deleted");
                }
            }
            else if (before.TryEnum(name, out var e))
            {
                if (after.TryEnum(name, out var f))
                {
                    cmp.CompareEnum(subject, e, f);
                }
                else
                {
                    cmp.Add("ENUM_NO_DELETE", FindingClass.WireBreaking, subject, "was deleted");
                }
            }
        }

        var reachedBefore = reached.ToHashSet(StringComparer.Ordinal);
        foreach (var name in after.Reach(rootsNow).Where(n => !reachedBefore.Contains(n) && after.DefiningFile(n) is not null && before.DefiningFile(n) is null))
        {
            var isEnum = after.TryEnum(name, out _);
            cmp.Add(isEnum ? "ENUM_ADDED" : "MESSAGE_ADDED", FindingClass.Additive, name.TrimStart('.'), "new, reached by a kept RPC");
        }

        return cmp.Findings;
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

    private static IEnumerable<(string FullName, ServiceDescriptorProto Service)> Services(FileDescriptorSet set) =>
        set.File.SelectMany(f => f.Service.Select(s => (f.Package.Length == 0 ? s.Name : $"{f.Package}.{s.Name}", s)));
}
