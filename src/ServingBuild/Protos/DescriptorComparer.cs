using Google.Protobuf.Reflection;

namespace ServingBuild.Protos;

/// <summary>
/// Compares messages, enums and methods of two descriptor sets by the rules buf's breaking checker uses
/// (FIELD_NO_DELETE, FIELD_SAME_TYPE, ...), each finding classed wire-breaking or additive. WireDiff and
/// ProtoDrift are both built on it: one demands no finding at all, the other reports them.
/// </summary>
public sealed class DescriptorComparer
{
    private readonly List<DescriptorFinding> _findings = [];

    public IReadOnlyList<DescriptorFinding> Findings => _findings;

    public void Add(string rule, FindingClass cls, string subject, string detail) =>
        _findings.Add(new DescriptorFinding(rule, cls, subject, detail));

    /// <summary>Fields, reserved ranges, map-entry flag; nested types too when <paramref name="nested"/>.</summary>
    public void CompareMessage(string fullName, DescriptorProto before, DescriptorProto after, bool nested)
    {
        var afterByNumber = after.Field.ToDictionary(f => f.Number);
        var afterByName = after.Field.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var renumbered = new HashSet<int>();
        foreach (var old in before.Field)
        {
            var subject = $"{fullName}.{old.Name}";
            if (afterByNumber.TryGetValue(old.Number, out var now))
            {
                CompareField(subject, before, old, after, now);
            }
            else if (afterByName.TryGetValue(old.Name, out var moved))
            {
                renumbered.Add(moved.Number);
                Add("FIELD_SAME_NUMBER", FindingClass.WireBreaking, subject, $"number {old.Number} became {moved.Number}");
            }
            else
            {
                var reserved = after.ReservedRange.Any(r => old.Number >= r.Start && old.Number < r.End);
                Add("FIELD_NO_DELETE", FindingClass.WireBreaking, subject, $"field {old.Number} ({old.Name}) was deleted" + (reserved ? " (its number is now reserved)" : ""));
            }
        }

        var beforeNumbers = before.Field.Select(f => f.Number).ToHashSet();
        foreach (var added in after.Field.Where(f => !beforeNumbers.Contains(f.Number) && !renumbered.Contains(f.Number)))
        {
            Add("FIELD_ADDED", FindingClass.Additive, $"{fullName}.{added.Name}", $"new field {added.Number} ({Describe(after, added)})");
        }

        if (before.Options?.MapEntry != after.Options?.MapEntry)
        {
            Add("MESSAGE_SAME_MAP_ENTRY", FindingClass.WireBreaking, fullName, $"map entry {before.Options?.MapEntry == true} became {after.Options?.MapEntry == true}");
        }

        CompareReserved(fullName, "RESERVED_MESSAGE_NO_DELETE",
            before.ReservedRange.Select(r => (r.Start, r.End)), after.ReservedRange.Select(r => (r.Start, r.End)),
            before.ReservedName, after.ReservedName);

        if (!nested)
        {
            return;
        }

        CompareNamed(fullName, before.NestedType, after.NestedType, m => m.Name, "MESSAGE_NO_DELETE", "MESSAGE_ADDED",
            (name, b, a) => CompareMessage(name, b, a, nested: true));
        CompareNamed(fullName, before.EnumType, after.EnumType, e => e.Name, "ENUM_NO_DELETE", "ENUM_ADDED", CompareEnum);
    }

    public void CompareEnum(string fullName, EnumDescriptorProto before, EnumDescriptorProto after)
    {
        var afterByNumber = after.Value.GroupBy(v => v.Number).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var old in before.Value)
        {
            if (!afterByNumber.TryGetValue(old.Number, out var now))
            {
                Add("ENUM_VALUE_NO_DELETE", FindingClass.WireBreaking, $"{fullName}.{old.Name}", $"value {old.Number} was deleted");
            }
            else if (!now.Any(v => v.Name == old.Name))
            {
                Add("ENUM_VALUE_SAME_NAME", FindingClass.WireBreaking, $"{fullName}.{old.Name}", $"value {old.Number} is now named {now[0].Name}");
            }
        }

        var beforeNumbers = before.Value.Select(v => v.Number).ToHashSet();
        foreach (var added in after.Value.Where(v => !beforeNumbers.Contains(v.Number)))
        {
            Add("ENUM_VALUE_ADDED", FindingClass.Additive, $"{fullName}.{added.Name}", $"new value {added.Number}");
        }

        CompareReserved(fullName, "RESERVED_ENUM_NO_DELETE",
            before.ReservedRange.Select(r => (r.Start, r.End + 1)), after.ReservedRange.Select(r => (r.Start, r.End + 1)),
            before.ReservedName, after.ReservedName);
    }

    public void CompareMethod(string subject, MethodDescriptorProto before, MethodDescriptorProto after)
    {
        if (before.InputType != after.InputType)
        {
            Add("RPC_SAME_REQUEST_TYPE", FindingClass.WireBreaking, subject, $"request {Short(before.InputType)} became {Short(after.InputType)}");
        }

        if (before.OutputType != after.OutputType)
        {
            Add("RPC_SAME_RESPONSE_TYPE", FindingClass.WireBreaking, subject, $"response {Short(before.OutputType)} became {Short(after.OutputType)}");
        }

        if (before.ClientStreaming != after.ClientStreaming)
        {
            Add("RPC_SAME_CLIENT_STREAMING", FindingClass.WireBreaking, subject, $"client streaming {before.ClientStreaming} became {after.ClientStreaming}");
        }

        if (before.ServerStreaming != after.ServerStreaming)
        {
            Add("RPC_SAME_SERVER_STREAMING", FindingClass.WireBreaking, subject, $"server streaming {before.ServerStreaming} became {after.ServerStreaming}");
        }
    }

    /// <summary>Pairs items by name: a missing one is a deletion, a new one an addition, the rest are compared.</summary>
    public void CompareNamed<T>(string scope, IEnumerable<T> before, IEnumerable<T> after, Func<T, string> name,
        string deleteRule, string addRule, Action<string, T, T> compare)
    {
        var afterByName = after.ToDictionary(name, StringComparer.Ordinal);
        var beforeNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var b in before)
        {
            var n = name(b);
            beforeNames.Add(n);
            var full = scope.Length == 0 ? n : $"{scope}.{n}";
            if (afterByName.TryGetValue(n, out var a))
            {
                compare(full, b, a);
            }
            else
            {
                Add(deleteRule, FindingClass.WireBreaking, full, "was deleted");
            }
        }

        foreach (var a in after.Where(a => !beforeNames.Contains(name(a))))
        {
            Add(addRule, FindingClass.Additive, scope.Length == 0 ? name(a) : $"{scope}.{name(a)}", "was added");
        }
    }

    private void CompareField(string subject, DescriptorProto beforeMessage, FieldDescriptorProto before, DescriptorProto afterMessage, FieldDescriptorProto after)
    {
        if (before.Name != after.Name)
        {
            Add("FIELD_SAME_NAME", FindingClass.WireBreaking, subject, $"field {before.Number} is now named {after.Name} (breaks JSON and generated code)");
        }

        if (before.Type != after.Type || before.TypeName != after.TypeName)
        {
            Add("FIELD_SAME_TYPE", FindingClass.WireBreaking, subject, $"type {Describe(beforeMessage, before)} became {Describe(afterMessage, after)}");
        }

        if (before.Label != after.Label || before.Proto3Optional != after.Proto3Optional)
        {
            Add("FIELD_SAME_LABEL", FindingClass.WireBreaking, subject, $"label {Label(before)} became {Label(after)}");
        }

        var oneofBefore = RealOneof(beforeMessage, before);
        var oneofAfter = RealOneof(afterMessage, after);
        if (oneofBefore != oneofAfter)
        {
            Add("FIELD_SAME_ONEOF", FindingClass.WireBreaking, subject, $"oneof {oneofBefore ?? "(none)"} became {oneofAfter ?? "(none)"}");
        }

        if (before.JsonName != after.JsonName)
        {
            Add("FIELD_SAME_JSON_NAME", FindingClass.WireBreaking, subject, $"json name {before.JsonName} became {after.JsonName}");
        }

        if ((before.Options?.HasPacked ?? false) != (after.Options?.HasPacked ?? false) || before.Options?.Packed != after.Options?.Packed)
        {
            Add("FIELD_SAME_PACKED", FindingClass.WireBreaking, subject, $"packed {Packed(before)} became {Packed(after)}");
        }
    }

    private void CompareReserved(string subject, string rule, IEnumerable<(int Start, int End)> before, IEnumerable<(int Start, int End)> after,
        IEnumerable<string> namesBefore, IEnumerable<string> namesAfter)
    {
        var a = after.ToList();
        foreach (var r in before)
        {
            for (var n = r.Start; n < r.End && n - r.Start < 100_000; n++)
            {
                if (!a.Any(x => n >= x.Start && n < x.End))
                {
                    Add(rule, FindingClass.WireBreaking, subject, $"reserved number {n} is no longer reserved");
                    break;
                }
            }
        }

        var b = before.ToList();
        foreach (var r in a.Where(x => !b.Contains(x)))
        {
            Add("RESERVED_ADDED", FindingClass.Additive, subject, r.End - r.Start == 1 ? $"reserves {r.Start}" : $"reserves {r.Start} to {r.End - 1}");
        }

        var after2 = namesAfter.ToHashSet(StringComparer.Ordinal);
        foreach (var name in namesBefore.Where(n => !after2.Contains(n)))
        {
            Add(rule, FindingClass.WireBreaking, subject, $"reserved name {name} is no longer reserved");
        }

        var before2 = namesBefore.ToHashSet(StringComparer.Ordinal);
        foreach (var name in after2.Where(n => !before2.Contains(n)))
        {
            Add("RESERVED_ADDED", FindingClass.Additive, subject, $"reserves name {name}");
        }
    }

    /// <summary>The oneof a field belongs to, ignoring the synthetic oneof protoc makes for proto3 optional.</summary>
    private static string? RealOneof(DescriptorProto message, FieldDescriptorProto field) =>
        field.HasOneofIndex && !field.Proto3Optional && field.OneofIndex < message.OneofDecl.Count ? message.OneofDecl[field.OneofIndex].Name : null;

    private static string Label(FieldDescriptorProto f) =>
        f.Proto3Optional ? "optional" : f.Label switch
        {
            FieldDescriptorProto.Types.Label.Repeated => "repeated",
            FieldDescriptorProto.Types.Label.Required => "required",
            _ => "singular",
        };

    private static string Packed(FieldDescriptorProto f) => f.Options?.HasPacked == true ? f.Options.Packed.ToString() : "default";

    private static string Describe(DescriptorProto message, FieldDescriptorProto f) =>
        (f.Type is FieldDescriptorProto.Types.Type.Message or FieldDescriptorProto.Types.Type.Enum or FieldDescriptorProto.Types.Type.Group
            ? Short(f.TypeName)
            : f.Type.ToString().ToLowerInvariant())
        + (f.Label == FieldDescriptorProto.Types.Label.Repeated && !IsMap(message, f) ? " (repeated)" : "");

    private static bool IsMap(DescriptorProto message, FieldDescriptorProto f) =>
        f.Type == FieldDescriptorProto.Types.Type.Message && message.NestedType.Any(n => n.Options?.MapEntry == true && f.TypeName.EndsWith("." + n.Name, StringComparison.Ordinal));

    private static string Short(string typeName) => typeName.TrimStart('.');
}
