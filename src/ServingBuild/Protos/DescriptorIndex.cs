using Google.Protobuf.Reflection;

namespace ServingBuild.Protos;

/// <summary>Every message and enum of a descriptor set by full name (".pkg.Outer.Inner"), with the file that defines it.</summary>
public sealed class DescriptorIndex
{
    private readonly Dictionary<string, (DescriptorProto Message, string File)> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (EnumDescriptorProto Enum, string File)> _enums = new(StringComparer.Ordinal);

    public DescriptorIndex(FileDescriptorSet set)
    {
        Set = set;
        foreach (var file in set.File)
        {
            var prefix = file.Package.Length == 0 ? "" : "." + file.Package;
            foreach (var m in file.MessageType)
            {
                AddMessage(prefix, m, file.Name);
            }

            foreach (var e in file.EnumType)
            {
                _enums[$"{prefix}.{e.Name}"] = (e, file.Name);
            }
        }
    }

    public FileDescriptorSet Set { get; }

    public FileDescriptorProto? File(string name) => Set.File.FirstOrDefault(f => f.Name == name);

    public bool TryMessage(string fullName, out DescriptorProto message)
    {
        var found = _messages.TryGetValue(fullName, out var hit);
        message = hit.Message;
        return found;
    }

    public bool TryEnum(string fullName, out EnumDescriptorProto value)
    {
        var found = _enums.TryGetValue(fullName, out var hit);
        value = hit.Enum;
        return found;
    }

    /// <summary>The file defining a message or enum, or null.</summary>
    public string? DefiningFile(string fullName) =>
        _messages.TryGetValue(fullName, out var m) ? m.File : _enums.TryGetValue(fullName, out var e) ? e.File : null;

    /// <summary>Every message and enum reachable from the given types through fields (the request/response closure).</summary>
    public IReadOnlyList<string> Reach(IEnumerable<string> roots)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var order = new List<string>();
        var queue = new Queue<string>(roots);
        while (queue.Count > 0)
        {
            var name = queue.Dequeue();
            if (!seen.Add(name))
            {
                continue;
            }

            order.Add(name);
            if (_messages.TryGetValue(name, out var m))
            {
                foreach (var f in m.Message.Field.Where(f => f.TypeName.Length > 0))
                {
                    queue.Enqueue(f.TypeName);
                }
            }
        }

        return order;
    }

    private void AddMessage(string prefix, DescriptorProto message, string file)
    {
        var full = $"{prefix}.{message.Name}";
        _messages[full] = (message, file);
        foreach (var nested in message.NestedType)
        {
            AddMessage(full, nested, file);
        }

        foreach (var e in message.EnumType)
        {
            _enums[$"{full}.{e.Name}"] = (e, file);
        }
    }
}
