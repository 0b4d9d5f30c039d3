using Google.Protobuf.Reflection;

namespace ServingBuild.Protos.Drift;

/// <summary>
/// The before and after sides, paired as buf pairs them: files by path, messages and enums by full name,
/// fields by number (extensions by extendee and number), enum values by number, services by full name and
/// methods by name. The scope limits which elements of the before side take part (the drift check looks
/// only at what the kept RPCs reach; the wire proof only at the files it wrote).
/// </summary>
public sealed class DescriptorPairs(DescriptorSide before, DescriptorSide after)
{
    public DescriptorSide Before { get; } = before;

    public DescriptorSide After { get; } = after;

    /// <summary>The after side's name for a before file (the flat layout renames files); null when it has none.</summary>
    public Func<string, string?> AfterFileOf { get; init; } = n => n;

    /// <summary>Which before files take part.</summary>
    public Func<string, bool> FileInScope { get; init; } = _ => true;

    /// <summary>Which messages and enums (full names with the leading dot) take part.</summary>
    public Func<string, bool> TypeInScope { get; init; } = _ => true;

    /// <summary>Which methods (service full name with the leading dot, method name) take part.</summary>
    public Func<string, string, bool> MethodInScope { get; init; } = (_, _) => true;

    /// <summary>Whether a method the after side has and the before side lacks is worth reporting as an addition.</summary>
    public Func<string, string, bool> NewMethodMatters { get; init; } = (_, _) => true;

    public IEnumerable<(FileDescriptorProto Before, FileDescriptorProto? After)> Files =>
        Before.Set.File.Where(f => FileInScope(f.Name))
            .Select(f => (f, AfterFileOf(f.Name) is { } n && After.Files.TryGetValue(n, out var a) ? a : null));

    public IEnumerable<(FileDescriptorProto Before, FileDescriptorProto After)> FilePairs =>
        Files.Where(p => p.After is not null).Select(p => (p.Before, p.After!));

    public IEnumerable<(MessageElement Before, MessageElement After)> Messages =>
        Before.Messages.Values.Where(InScope).OrderBy(m => m.FullName, StringComparer.Ordinal)
            .Where(m => After.Messages.ContainsKey(m.FullName)).Select(m => (m, After.Messages[m.FullName]));

    public IEnumerable<(EnumElement Before, EnumElement After)> Enums =>
        Before.Enums.Values.Where(e => FileInScope(e.File.Name) && TypeInScope(e.FullName)).OrderBy(e => e.FullName, StringComparer.Ordinal)
            .Where(e => After.Enums.ContainsKey(e.FullName)).Select(e => (e, After.Enums[e.FullName]));

    /// <summary>Fields of paired messages by number, then extensions by extendee and number.</summary>
    public IEnumerable<(FieldElement Before, FieldElement After)> Fields
    {
        get
        {
            foreach (var (b, a) in Messages)
            {
                var now = FieldsOf(a).ToDictionary(f => f.Number);
                foreach (var f in FieldsOf(b))
                {
                    if (now.TryGetValue(f.Number, out var g))
                    {
                        yield return (f, g);
                    }
                }
            }

            foreach (var (key, ext) in Before.Extensions.Where(e => FileInScope(e.Value.File.Name)).OrderBy(e => e.Key))
            {
                if (After.Extensions.TryGetValue(key, out var now))
                {
                    yield return (ext, now);
                }
            }
        }
    }

    public IEnumerable<(ServiceElement Before, ServiceElement After)> Services =>
        Before.Services.Values.Where(s => FileInScope(s.File.Name)).OrderBy(s => s.FullName, StringComparer.Ordinal)
            .Where(s => After.Services.ContainsKey(s.FullName)).Select(s => (s, After.Services[s.FullName]));

    public IEnumerable<MethodPair> Methods
    {
        get
        {
            foreach (var (s, t) in Services)
            {
                for (var i = 0; i < s.Proto.Method.Count; i++)
                {
                    var m = s.Proto.Method[i];
                    if (!MethodInScope(s.FullName, m.Name))
                    {
                        continue;
                    }

                    var j = IndexOf(t.Proto.Method, x => x.Name == m.Name);
                    if (j >= 0)
                    {
                        yield return new MethodPair(s, i, t, j);
                    }
                }
            }
        }
    }

    public static IEnumerable<FieldElement> FieldsOf(MessageElement m) =>
        m.Proto.Field.Select((f, i) => new FieldElement(f, m, m, m.File, [.. m.Path, 2, i]));

    public bool InScope(MessageElement m) => FileInScope(m.File.Name) && TypeInScope(m.FullName);

    /// <summary>A change found by <paramref name="rule"/>, placed on both sides.</summary>
    public DescriptorFinding Change(string rule, string subject, string detail,
        FileDescriptorProto? beforeFile, IReadOnlyList<int> beforePath, FileDescriptorProto? afterFile, IReadOnlyList<int> afterPath) =>
        new(rule, FindingClass.Change, subject, detail,
            beforeFile is null ? null : Before.Position(beforeFile, beforePath),
            afterFile is null ? null : After.Position(afterFile, afterPath));

    public DescriptorFinding Change(string rule, string subject, string detail, FieldElement before, FieldElement after, int part = -1) =>
        Change(rule, subject, detail, before.File, Part(before.Path, part), after.File, Part(after.Path, part));

    public static int[] Part(int[] path, int part) => part < 0 ? path : [.. path, part];

    private static int IndexOf<T>(IList<T> list, Func<T, bool> match)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (match(list[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
