using FieldType = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Type;

namespace ServingBuild.Protos.Drift;

public static partial class BreakingRules
{
    // Source path parts of a FieldDescriptorProto.
    private const int FieldName = 1;
    private const int FieldLabelPart = 4;
    private const int FieldTypePart = 5;
    private const int FieldTypeName = 6;
    private const int FieldDefaultValue = 7;
    private const int FieldJsonName = 10;

    /// <summary>buf's wire compatibility groups (int32, int64, uint32, uint64 and bool read each other; so do sint32/sint64, ...).</summary>
    private static readonly Dictionary<FieldType, int> WireGroup = new()
    {
        [FieldType.Int32] = 1, [FieldType.Int64] = 1, [FieldType.Uint32] = 1, [FieldType.Uint64] = 1, [FieldType.Bool] = 1,
        [FieldType.Sint32] = 2, [FieldType.Sint64] = 2,
        [FieldType.String] = 3, [FieldType.Bytes] = 4,
        [FieldType.Fixed32] = 5, [FieldType.Sfixed32] = 5,
        [FieldType.Fixed64] = 6, [FieldType.Sfixed64] = 6,
        [FieldType.Double] = 7, [FieldType.Float] = 8, [FieldType.Group] = 9, [FieldType.Message] = 10, [FieldType.Enum] = 11,
    };

    /// <summary>The groups whose members agree both on the wire and in JSON (64-bit integers are JSON strings, 32-bit ones numbers).</summary>
    private static readonly Dictionary<FieldType, int> WireJsonGroup = new()
    {
        [FieldType.Int32] = 1, [FieldType.Uint32] = 1,
        [FieldType.Int64] = 2, [FieldType.Uint64] = 2,
        [FieldType.Fixed32] = 3, [FieldType.Sfixed32] = 3,
        [FieldType.Fixed64] = 4, [FieldType.Sfixed64] = 4,
        [FieldType.Bool] = 5, [FieldType.Sint32] = 6, [FieldType.Sint64] = 7, [FieldType.String] = 8, [FieldType.Bytes] = 9,
        [FieldType.Double] = 10, [FieldType.Float] = 11, [FieldType.Group] = 12, [FieldType.Message] = 13, [FieldType.Enum] = 14,
    };

    private static IEnumerable<DescriptorFinding> FieldNoDeleteUnlessNameReserved(DescriptorPairs p) =>
        FieldsDeleted(p, "FIELD_NO_DELETE_UNLESS_NAME_RESERVED", (f, now) => now.Proto.ReservedName.Contains(f.Proto.Name), "without reserving its name");

    private static IEnumerable<DescriptorFinding> FieldNoDeleteUnlessNumberReserved(DescriptorPairs p) =>
        FieldsDeleted(p, "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", (f, now) => now.Proto.ReservedRange.Any(r => f.Number >= r.Start && f.Number < r.End), "without reserving its number");

    private static IEnumerable<DescriptorFinding> FieldsDeleted(DescriptorPairs p, string rule, Func<FieldElement, MessageElement, bool> allowed, string how)
    {
        foreach (var (b, a) in p.Messages)
        {
            var now = a.Proto.Field.Select(f => f.Number).ToHashSet();
            foreach (var f in DescriptorPairs.FieldsOf(b).Where(f => !now.Contains(f.Number) && !allowed(f, a)))
            {
                var moved = a.Proto.Field.FirstOrDefault(g => g.Name == f.Proto.Name);
                yield return p.Change(rule, f.Subject,
                    $"field {f.Number} was deleted {how}" + (moved is null ? "" : $" (a field {f.Proto.Name} is now number {moved.Number})"),
                    b.File, f.Path, a.File, moved is null ? a.Path : [.. a.Path, 2, a.Proto.Field.IndexOf(moved)]);
            }
        }
    }

    private static IEnumerable<DescriptorFinding> FieldSameDefault(DescriptorPairs p)
    {
        foreach (var (b, a) in p.Fields)
        {
            if (!b.CanHaveDefault || !a.CanHaveDefault || b.Cardinality(p.Before) == FieldCardinality.Map || a.Cardinality(p.After) == FieldCardinality.Map)
            {
                continue;
            }

            var was = b.Default(p.Before);
            var now = a.Default(p.After);
            if (!(was.IsZero && now.IsZero) && !was.SameAs(now))
            {
                yield return p.Change("FIELD_SAME_DEFAULT", b.Subject, $"default {was.Printable} became {now.Printable}", b, a, FieldDefaultValue);
            }
        }
    }

    private static IEnumerable<DescriptorFinding> FieldSameJsonName(DescriptorPairs p)
    {
        foreach (var (b, a) in p.Fields.Where(f => !f.Before.IsExtension))
        {
            if (b.JsonName != a.JsonName)
            {
                // At the json_name option where the source sets one; else (source info has no such span) at the field.
                yield return p.Change("FIELD_SAME_JSON_NAME", b.Subject, $"JSON name {b.JsonName} became {a.JsonName}", b, a, FieldJsonName);
            }
        }
    }

    private static IEnumerable<DescriptorFinding> FieldSameName(DescriptorPairs p)
    {
        foreach (var (b, a) in p.Fields)
        {
            var was = b.IsExtension ? b.Subject : b.Proto.Name;
            var now = a.IsExtension ? a.Subject : a.Proto.Name;
            if (was != now)
            {
                yield return p.Change("FIELD_SAME_NAME", b.Subject, $"field {b.Number} is now named {now}", b, a, FieldName);
            }
        }
    }

    private static IEnumerable<DescriptorFinding> FieldSameOneof(DescriptorPairs p)
    {
        foreach (var (b, a) in p.Fields.Where(f => !f.Before.IsExtension))
        {
            var was = b.RealOneof;
            var now = a.RealOneof;
            if (was != now)
            {
                var detail = was is not null && now is not null ? $"moved from oneof {was} to oneof {now}"
                    : was is null ? $"moved into oneof {now}" : $"moved out of oneof {was}";
                yield return p.Change("FIELD_SAME_ONEOF", b.Subject, detail, b, a);
            }
        }
    }

    private static IEnumerable<DescriptorFinding> FieldWireCompatibleCardinality(DescriptorPairs p) =>
        Cardinality(p, "FIELD_WIRE_COMPATIBLE_CARDINALITY", c => c switch
        {
            FieldCardinality.OptionalExplicitPresence or FieldCardinality.OptionalImplicitPresence => 1,
            FieldCardinality.Required => 2,
            _ => 3, // repeated and map are the same on the wire
        });

    private static IEnumerable<DescriptorFinding> FieldWireJsonCompatibleCardinality(DescriptorPairs p) =>
        Cardinality(p, "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY", c => c switch
        {
            FieldCardinality.OptionalExplicitPresence or FieldCardinality.OptionalImplicitPresence => 1,
            FieldCardinality.Required => 2,
            FieldCardinality.Repeated => 3,
            _ => 4, // a map is an object in JSON, a repeated field an array
        });

    private static IEnumerable<DescriptorFinding> FieldSameCardinality(DescriptorPairs p) => Cardinality(p, "FIELD_SAME_CARDINALITY", c => (int)c);

    private static IEnumerable<DescriptorFinding> FieldSameType(DescriptorPairs p)
    {
        foreach (var (b, a) in p.Fields)
        {
            if (b.Kind != a.Kind || (a.Kind is FieldType.Message or FieldType.Group or FieldType.Enum && b.Proto.TypeName != a.Proto.TypeName))
            {
                yield return TypeChange(p, "FIELD_SAME_TYPE", b, a);
            }
        }
    }

    private static IEnumerable<DescriptorFinding> Cardinality(DescriptorPairs p, string rule, Func<FieldCardinality, int> group)
    {
        foreach (var (b, a) in p.Fields)
        {
            // Map entries are generated: their key and value fields are never compared.
            if (b.Message?.IsMapEntry == true && a.Message?.IsMapEntry == true)
            {
                continue;
            }

            var was = b.Cardinality(p.Before);
            var now = a.Cardinality(p.After);
            if (group(was) != group(now))
            {
                yield return p.Change(rule, b.Subject, $"cardinality {Describe(was)} became {Describe(now)}", b, a, FieldLabelPart);
            }
        }
    }

    private static IEnumerable<DescriptorFinding> FieldWireCompatibleType(DescriptorPairs p)
    {
        foreach (var (b, a) in p.Fields)
        {
            if (WireGroup[b.Kind] != WireGroup[a.Kind])
            {
                // string -> bytes reads the same bytes; bytes -> string may not be valid UTF-8.
                if (!(b.Kind == FieldType.String && a.Kind == FieldType.Bytes))
                {
                    yield return TypeChange(p, "FIELD_WIRE_COMPATIBLE_TYPE", b, a);
                }
            }
            else if (TypeNameChanged(p, b, a))
            {
                yield return TypeChange(p, "FIELD_WIRE_COMPATIBLE_TYPE", b, a);
            }
        }
    }

    private static IEnumerable<DescriptorFinding> FieldWireJsonCompatibleType(DescriptorPairs p)
    {
        foreach (var (b, a) in p.Fields)
        {
            if (WireJsonGroup[b.Kind] != WireJsonGroup[a.Kind] || TypeNameChanged(p, b, a))
            {
                yield return TypeChange(p, "FIELD_WIRE_JSON_COMPATIBLE_TYPE", b, a);
            }
        }
    }

    /// <summary>
    /// Same kind, other named type: a message or group of another name breaks; an enum of another full name is
    /// accepted when it has the same short name and keeps every value (name and number) of the old one.
    /// </summary>
    private static bool TypeNameChanged(DescriptorPairs p, FieldElement b, FieldElement a)
    {
        if (b.Proto.TypeName == a.Proto.TypeName || a.Kind is not (FieldType.Message or FieldType.Group or FieldType.Enum))
        {
            return false;
        }

        if (a.Kind != FieldType.Enum)
        {
            return true;
        }

        if (!p.Before.Enums.TryGetValue(b.Proto.TypeName, out var was) || !p.After.Enums.TryGetValue(a.Proto.TypeName, out var now) || was.Proto.Name != now.Proto.Name)
        {
            return true;
        }

        var values = now.Proto.Value.GroupBy(v => v.Name).ToDictionary(g => g.Key, g => g.First().Number, StringComparer.Ordinal);
        return !was.Proto.Value.All(v => values.TryGetValue(v.Name, out var n) && n == v.Number);
    }

    private static DescriptorFinding TypeChange(DescriptorPairs p, string rule, FieldElement b, FieldElement a) =>
        new(rule, FindingClass.Change, b.Subject, $"type {TypeText(b)} became {TypeText(a)}",
            p.Before.Position(b.File, DescriptorPairs.Part(b.Path, b.Proto.TypeName.Length > 0 ? FieldTypeName : FieldTypePart)),
            p.After.Position(a.File, DescriptorPairs.Part(a.Path, a.Proto.TypeName.Length > 0 ? FieldTypeName : FieldTypePart)));

    private static string TypeText(FieldElement f) =>
        f.Kind is FieldType.Message or FieldType.Enum or FieldType.Group && f.Proto.TypeName.Length > 0
            ? f.Proto.TypeName.TrimStart('.') + (f.Kind == FieldType.Group && f.Proto.Type == FieldType.Message ? " (delimited)" : "")
            : f.Kind.ToString().ToLowerInvariant();

    private static string Describe(FieldCardinality c) => c switch
    {
        FieldCardinality.OptionalExplicitPresence => "optional with explicit presence",
        FieldCardinality.OptionalImplicitPresence => "optional with implicit presence",
        FieldCardinality.Required => "required",
        FieldCardinality.Repeated => "repeated",
        _ => "map",
    };
}
