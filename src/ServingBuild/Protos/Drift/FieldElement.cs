using System.Globalization;
using System.Numerics;
using System.Text;
using Google.Protobuf.Reflection;
using FieldType = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Type;
using FieldLabel = Google.Protobuf.Reflection.FieldDescriptorProto.Types.Label;

namespace ServingBuild.Protos.Drift;

/// <summary>
/// A field (or an extension) where it is declared, with what buf derives from it: kind, cardinality,
/// presence, real oneof, JSON name and default value, each resolved from syntax, labels and features.
/// </summary>
public sealed record FieldElement(FieldDescriptorProto Proto, MessageElement? Message, MessageElement? Scope, FileDescriptorProto File, int[] Path)
{
    public bool IsExtension => Proto.HasExtendee && Proto.Extendee.Length > 0;

    public int Number => Proto.Number;

    /// <summary>"pkg.Message.field", or the extension's full name.</summary>
    public string Subject => Message is not null ? $"{Message.Name}.{Proto.Name}"
        : $"{(Scope?.Name ?? File.Package)}.{Proto.Name}".TrimStart('.');

    /// <summary>The type on the wire: a message field with delimited encoding (editions) is a group.</summary>
    public FieldType Kind
    {
        get
        {
            if (Proto.Type == FieldType.Message && FileSyntax.IsEditions(File)
                && Feature(f => f.HasMessageEncoding ? f.MessageEncoding : (FeatureSet.Types.MessageEncoding?)null) == FeatureSet.Types.MessageEncoding.Delimited)
            {
                return FieldType.Group;
            }

            return Proto.Type;
        }
    }

    public bool IsMap(DescriptorSide side) =>
        Proto.Label == FieldLabel.Repeated && Proto.Type == FieldType.Message
        && side.Messages.TryGetValue(Proto.TypeName, out var entry) && entry.IsMapEntry;

    public FieldCardinality Cardinality(DescriptorSide side)
    {
        if (Proto.Label == FieldLabel.Repeated)
        {
            return IsMap(side) ? FieldCardinality.Map : FieldCardinality.Repeated;
        }

        if (IsRequired)
        {
            return FieldCardinality.Required;
        }

        return HasPresence ? FieldCardinality.OptionalExplicitPresence : FieldCardinality.OptionalImplicitPresence;
    }

    public bool IsRequired => Proto.Label == FieldLabel.Required
        || (FileSyntax.IsEditions(File) && Presence() == FeatureSet.Types.FieldPresence.LegacyRequired);

    public bool HasPresence
    {
        get
        {
            if (Proto.Label == FieldLabel.Repeated)
            {
                return false;
            }

            if (IsExtension || Proto.Type is FieldType.Message or FieldType.Group || Proto.HasOneofIndex)
            {
                return true;
            }

            if (FileSyntax.IsProto3(File))
            {
                return Proto.Proto3Optional;
            }

            return !FileSyntax.IsEditions(File) || Presence() != FeatureSet.Types.FieldPresence.Implicit;
        }
    }

    /// <summary>The oneof the field is declared in; null outside one or in the synthetic oneof of proto3 `optional`.</summary>
    public string? RealOneof =>
        Message is not null && Proto.HasOneofIndex && !Proto.Proto3Optional && Proto.OneofIndex < Message.Proto.OneofDecl.Count
            ? Message.Proto.OneofDecl[Proto.OneofIndex].Name
            : null;

    /// <summary>The JSON name protoc records (or would compute: lowerCamelCase of the name).</summary>
    public string JsonName => Proto.HasJsonName ? Proto.JsonName : LowerCamel(Proto.Name);

    /// <summary>Whether the field can carry a default at all (buf: not repeated, not a map, not a message).</summary>
    public bool CanHaveDefault => Proto.Label != FieldLabel.Repeated && Proto.Type is not (FieldType.Message or FieldType.Group);

    /// <summary>The default value, explicit or implied, in a form that compares the way buf's field_default.go does.</summary>
    public FieldDefault Default(DescriptorSide side)
    {
        var text = Proto.HasDefaultValue ? Proto.DefaultValue : null;
        switch (Proto.Type)
        {
            case FieldType.String:
                return FieldDefault.OfText(text ?? "", $"\"{text}\"");
            case FieldType.Bytes:
                return FieldDefault.OfText(Unescape(text ?? ""), $"\"{text}\"");
            case FieldType.Enum:
                side.Enums.TryGetValue(Proto.TypeName, out var e);
                var value = text is null ? e?.Proto.Value.FirstOrDefault() : e?.Proto.Value.FirstOrDefault(v => v.Name == text);
                return FieldDefault.OfInteger(value?.Number ?? 0, value?.Name ?? text ?? "0");
            case FieldType.Bool:
                return FieldDefault.OfInteger(text == "true" ? 1 : 0, text ?? "false");
            case FieldType.Float or FieldType.Double:
                var d = text switch
                {
                    null => 0d,
                    "inf" => double.PositiveInfinity,
                    "-inf" => double.NegativeInfinity,
                    "nan" or "-nan" => double.NaN,
                    _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
                };
                return FieldDefault.OfReal(Proto.Type == FieldType.Float ? (float)d : d, Proto.Type == FieldType.Float, text ?? "0");
            default:
                return FieldDefault.OfInteger(text is null ? BigInteger.Zero : BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture), text ?? "0");
        }
    }

    private T? Feature<T>(Func<FeatureSet, T?> pick)
        where T : struct
    {
        if (Proto.Options?.Features is { } own && pick(own) is { } v)
        {
            return v;
        }

        foreach (var f in Scope?.FeatureChain() ?? (File.Options?.Features is { } ff ? [ff] : []))
        {
            if (pick(f) is { } w)
            {
                return w;
            }
        }

        return null;
    }

    private FeatureSet.Types.FieldPresence Presence() =>
        Feature(f => f.HasFieldPresence ? f.FieldPresence : (FeatureSet.Types.FieldPresence?)null) ?? FeatureSet.Types.FieldPresence.Explicit;

    private static string LowerCamel(string name)
    {
        var sb = new StringBuilder();
        var upper = false;
        foreach (var c in name)
        {
            if (c == '_')
            {
                upper = true;
            }
            else
            {
                sb.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
        }

        return sb.ToString();
    }

    /// <summary>protoc writes a bytes default C-escaped; the value is the bytes it stands for.</summary>
    private static string Unescape(string s)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '\\' || i + 1 == s.Length)
            {
                sb.Append(s[i]);
                continue;
            }

            var c = s[++i];
            if (c is >= '0' and <= '7')
            {
                var n = 0;
                var k = 0;
                for (; k < 3 && i < s.Length && s[i] is >= '0' and <= '7'; k++, i++)
                {
                    n = (n * 8) + (s[i] - '0');
                }

                i--;
                sb.Append((char)n);
            }
            else if (c == 'x' && i + 1 < s.Length)
            {
                var n = 0;
                var k = 0;
                for (i++; k < 2 && i < s.Length && Uri.IsHexDigit(s[i]); k++, i++)
                {
                    n = (n * 16) + Convert.ToInt32(s[i].ToString(), 16);
                }

                i--;
                sb.Append((char)n);
            }
            else
            {
                sb.Append(c switch { 'n' => '\n', 'r' => '\r', 't' => '\t', 'a' => '\a', 'b' => '\b', 'f' => '\f', 'v' => '\v', _ => c });
            }
        }

        return sb.ToString();
    }
}
