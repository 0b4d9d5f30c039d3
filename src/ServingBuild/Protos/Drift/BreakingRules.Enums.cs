using Google.Protobuf.Reflection;

namespace ServingBuild.Protos.Drift;

public static partial class BreakingRules
{
    private static IEnumerable<DescriptorFinding> EnumSameJsonFormat(DescriptorPairs p)
    {
        foreach (var (b, a) in p.Enums)
        {
            var was = FileSyntax.JsonFormat(b.FeatureChain(), b.File);
            var now = FileSyntax.JsonFormat(a.FeatureChain(), a.File);
            if (was == FeatureSet.Types.JsonFormat.Allow && now != FeatureSet.Types.JsonFormat.Allow)
            {
                yield return p.Change("ENUM_SAME_JSON_FORMAT", b.Name, $"JSON format {was} became {now}", b.File, b.Path, a.File, a.Path);
            }
        }
    }

    private static IEnumerable<DescriptorFinding> EnumValueNoDeleteUnlessNameReserved(DescriptorPairs p) =>
        EnumValuesDeleted(p, "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED",
            (names, _, now) => names.All(n => now.Proto.ReservedName.Contains(n)), "without reserving its name");

    private static IEnumerable<DescriptorFinding> EnumValueNoDeleteUnlessNumberReserved(DescriptorPairs p) =>
        EnumValuesDeleted(p, "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
            (_, number, now) => now.Proto.ReservedRange.Any(r => number >= r.Start && number <= r.End), "without reserving its number");

    private static IEnumerable<DescriptorFinding> EnumValuesDeleted(DescriptorPairs p, string rule, Func<IReadOnlyList<string>, int, EnumElement, bool> allowed, string how)
    {
        foreach (var (b, a) in p.Enums)
        {
            var now = a.Proto.Value.Select(v => v.Number).ToHashSet();
            foreach (var group in b.Proto.Value.Select((v, i) => (v, i)).GroupBy(x => x.v.Number))
            {
                var names = group.Select(x => x.v.Name).ToList();
                if (!now.Contains(group.Key) && !allowed(names, group.Key, a))
                {
                    yield return p.Change(rule, $"{b.Name}.{names[0]}", $"value {group.Key} ({string.Join(", ", names)}) was deleted {how}",
                        b.File, [.. b.Path, 2, group.First().i], a.File, a.Path);
                }
            }
        }
    }

    private static IEnumerable<DescriptorFinding> EnumValueSameName(DescriptorPairs p)
    {
        foreach (var (b, a) in p.Enums)
        {
            foreach (var number in b.Proto.Value.Select(v => v.Number).Distinct())
            {
                var was = b.Proto.Value.Where(v => v.Number == number).Select(v => v.Name).ToList();
                var nowIndexes = a.Proto.Value.Select((v, i) => (v, i)).Where(x => x.v.Number == number).ToList();
                // Every name the number has now must have been one of its names before (aliases may be dropped).
                if (nowIndexes.Count > 0 && !nowIndexes.All(x => was.Contains(x.v.Name)))
                {
                    var first = nowIndexes.First(x => !was.Contains(x.v.Name));
                    var beforeIndex = b.Proto.Value.IndexOf(b.Proto.Value.First(v => v.Number == number));
                    yield return p.Change("ENUM_VALUE_SAME_NAME", $"{b.Name}.{was[0]}", $"value {number} is now named {string.Join(", ", nowIndexes.Select(x => x.v.Name))}",
                        b.File, [.. b.Path, 2, beforeIndex, 1], a.File, [.. a.Path, 2, first.i, 1]);
                }
            }
        }
    }

    private static IEnumerable<DescriptorFinding> ReservedEnumNoDelete(DescriptorPairs p)
    {
        foreach (var (b, a) in p.Enums)
        {
            // Enum reserved ranges are inclusive at both ends.
            var now = a.Proto.ReservedRange.Select(r => ((long)r.Start, (long)r.End)).ToList();
            for (var i = 0; i < b.Proto.ReservedRange.Count; i++)
            {
                var r = b.Proto.ReservedRange[i];
                if (!Covered(r.Start, r.End, now))
                {
                    yield return p.Change("RESERVED_ENUM_NO_DELETE", b.Name, $"reserved {Range(r.Start, r.End)} is no longer reserved", b.File, [.. b.Path, 4, i], a.File, a.Path);
                }
            }

            for (var i = 0; i < b.Proto.ReservedName.Count; i++)
            {
                if (!a.Proto.ReservedName.Contains(b.Proto.ReservedName[i]))
                {
                    yield return p.Change("RESERVED_ENUM_NO_DELETE", b.Name, $"reserved name {b.Proto.ReservedName[i]} is no longer reserved", b.File, [.. b.Path, 5, i], a.File, a.Path);
                }
            }
        }
    }

    private static IEnumerable<DescriptorFinding> EnumNoDelete(DescriptorPairs p) =>
        DeletedFromFile(p, "ENUM_NO_DELETE", "enum", side => side.Enums.Values.Select(e => (e.FullName, e.File, e.Path)));

    /// <summary>Whether [start, end] (inclusive) lies inside the union of <paramref name="ranges"/> (inclusive).</summary>
    private static bool Covered(long start, long end, IReadOnlyList<(long Start, long End)> ranges)
    {
        var at = start;
        foreach (var (s, e) in ranges.OrderBy(r => r.Start))
        {
            if (s > at)
            {
                break;
            }

            at = Math.Max(at, e + 1);
            if (at > end)
            {
                return true;
            }
        }

        return at > end;
    }

    private static string Range(long start, long end) => start == end ? $"{start}" : $"{start} to {(end >= 536870911 ? "max" : end.ToString(System.Globalization.CultureInfo.InvariantCulture))}";

    /// <summary>Elements of a paired file (by full name) that the after side's file no longer has (buf's *_NO_DELETE of the FILE category).</summary>
    private static IEnumerable<DescriptorFinding> DeletedFromFile(DescriptorPairs p, string rule, string what,
        Func<DescriptorSide, IEnumerable<(string FullName, FileDescriptorProto File, int[] Path)>> elements, bool typesOnly = true)
    {
        var after = elements(p.After).ToLookup(e => e.File.Name, StringComparer.Ordinal);
        foreach (var (bf, af) in p.FilePairs)
        {
            var now = after[af.Name].Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            foreach (var e in elements(p.Before).Where(e => e.File == bf && (!typesOnly || p.TypeInScope(e.FullName))).OrderBy(e => e.FullName, StringComparer.Ordinal))
            {
                if (!now.Contains(e.FullName))
                {
                    yield return p.Change(rule, e.FullName.TrimStart('.'), $"{what} was deleted from {af.Name}", bf, e.Path, af, [2]);
                }
            }
        }
    }
}
