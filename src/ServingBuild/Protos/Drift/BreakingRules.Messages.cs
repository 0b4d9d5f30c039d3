using Google.Protobuf.Reflection;

namespace ServingBuild.Protos.Drift;

public static partial class BreakingRules
{
    private static IEnumerable<DescriptorFinding> MessageSameJsonFormat(DescriptorPairs p)
    {
        foreach (var (b, a) in p.Messages)
        {
            var was = FileSyntax.JsonFormat(b.FeatureChain(), b.File);
            var now = FileSyntax.JsonFormat(a.FeatureChain(), a.File);
            if (was == FeatureSet.Types.JsonFormat.Allow && now != FeatureSet.Types.JsonFormat.Allow)
            {
                yield return p.Change("MESSAGE_SAME_JSON_FORMAT", b.Name, $"JSON format {was} became {now}", b.File, b.Path, a.File, a.Path);
            }
        }
    }

    private static IEnumerable<DescriptorFinding> MessageSameRequiredFields(DescriptorPairs p)
    {
        foreach (var (b, a) in p.Messages)
        {
            // As buf: the `required` label only (an editions field with LEGACY_REQUIRED presence counts for cardinality, not here).
            var was = DescriptorPairs.FieldsOf(b).Where(f => f.Proto.Label == FieldDescriptorProto.Types.Label.Required).ToDictionary(f => f.Number);
            var now = DescriptorPairs.FieldsOf(a).Where(f => f.Proto.Label == FieldDescriptorProto.Types.Label.Required).ToDictionary(f => f.Number);
            foreach (var (number, f) in was.Where(x => !now.ContainsKey(x.Key)).OrderBy(x => x.Key))
            {
                yield return p.Change("MESSAGE_SAME_REQUIRED_FIELDS", b.Name, $"required field {number} ({f.Proto.Name}) is no longer required or was deleted", b.File, f.Path, a.File, a.Path);
            }

            foreach (var (number, f) in now.Where(x => !was.ContainsKey(x.Key)).OrderBy(x => x.Key))
            {
                yield return p.Change("MESSAGE_SAME_REQUIRED_FIELDS", b.Name, $"required field {number} ({f.Proto.Name}) was added", b.File, b.Path, a.File, f.Path);
            }
        }
    }

    private static IEnumerable<DescriptorFinding> ReservedMessageNoDelete(DescriptorPairs p)
    {
        foreach (var (b, a) in p.Messages)
        {
            // Message reserved ranges end one past their last number.
            var now = a.Proto.ReservedRange.Select(r => ((long)r.Start, (long)r.End - 1)).ToList();
            for (var i = 0; i < b.Proto.ReservedRange.Count; i++)
            {
                var r = b.Proto.ReservedRange[i];
                if (!Covered(r.Start, r.End - 1L, now))
                {
                    yield return p.Change("RESERVED_MESSAGE_NO_DELETE", b.Name, $"reserved {Range(r.Start, r.End - 1L)} is no longer reserved", b.File, [.. b.Path, 9, i], a.File, a.Path);
                }
            }

            for (var i = 0; i < b.Proto.ReservedName.Count; i++)
            {
                if (!a.Proto.ReservedName.Contains(b.Proto.ReservedName[i]))
                {
                    yield return p.Change("RESERVED_MESSAGE_NO_DELETE", b.Name, $"reserved name {b.Proto.ReservedName[i]} is no longer reserved", b.File, [.. b.Path, 10, i], a.File, a.Path);
                }
            }
        }
    }

    private static IEnumerable<DescriptorFinding> MessageNoDelete(DescriptorPairs p) =>
        DeletedFromFile(p, "MESSAGE_NO_DELETE", "message", side => side.Messages.Values.Select(m => (m.FullName, m.File, m.Path)));
}
