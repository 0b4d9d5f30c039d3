using Google.Protobuf.Reflection;

namespace ServingBuild.Protos.Drift;

/// <summary>
/// One side of a comparison (before or after): a descriptor set indexed the way buf pairs things (files by
/// path, messages and enums by full name, services by full name, extensions by extendee and number), with
/// each element's source path so a finding can name its file:line:column.
/// </summary>
public sealed class DescriptorSide
{
    private readonly Dictionary<string, Dictionary<string, Google.Protobuf.Reflection.SourceCodeInfo.Types.Location>> _locations = new(StringComparer.Ordinal);
    private readonly Func<string, string> _display;

    /// <param name="set">the descriptors</param>
    /// <param name="display">a file name as the report shows it (a path a person can open); identity when null</param>
    public DescriptorSide(FileDescriptorSet set, Func<string, string>? display = null)
    {
        Set = set;
        _display = display ?? (n => n);
        foreach (var file in set.File)
        {
            Files[file.Name] = file;
            var package = file.Package.Length == 0 ? "" : "." + file.Package;
            for (var i = 0; i < file.MessageType.Count; i++)
            {
                AddMessage(file, null, package, file.MessageType[i], [4, i]);
            }

            for (var i = 0; i < file.EnumType.Count; i++)
            {
                AddEnum(file, null, package, file.EnumType[i], [5, i]);
            }

            for (var i = 0; i < file.Service.Count; i++)
            {
                var s = file.Service[i];
                Services[$"{package}.{s.Name}"] = new ServiceElement($"{package}.{s.Name}", s, file, [6, i]);
            }

            for (var i = 0; i < file.Extension.Count; i++)
            {
                AddExtension(file, null, file.Extension[i], [7, i]);
            }
        }
    }

    public FileDescriptorSet Set { get; }

    public Dictionary<string, FileDescriptorProto> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>By full name with the leading dot (".pkg.Outer.Inner"), as field type names spell them.</summary>
    public Dictionary<string, MessageElement> Messages { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, EnumElement> Enums { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ServiceElement> Services { get; } = new(StringComparer.Ordinal);

    /// <summary>Extensions by (extendee, number).</summary>
    public Dictionary<(string Extendee, int Number), FieldElement> Extensions { get; } = [];

    /// <summary>The position of <paramref name="path"/> in <paramref name="file"/>, or of its nearest enclosing element that has one.</summary>
    public SourcePosition Position(FileDescriptorProto file, IReadOnlyList<int> path)
    {
        if (!_locations.TryGetValue(file.Name, out var byPath))
        {
            byPath = new Dictionary<string, Google.Protobuf.Reflection.SourceCodeInfo.Types.Location>(StringComparer.Ordinal);
            foreach (var loc in file.SourceCodeInfo?.Location ?? [])
            {
                byPath.TryAdd(string.Join(',', loc.Path), loc);
            }

            _locations[file.Name] = byPath;
        }

        for (var n = path.Count; n >= 0; n--)
        {
            if (byPath.TryGetValue(string.Join(',', path.Take(n)), out var loc) && loc.Span.Count >= 2 && n > 0)
            {
                return new SourcePosition(_display(file.Name), loc.Span[0] + 1, loc.Span[1] + 1);
            }
        }

        return new SourcePosition(_display(file.Name), 0, 0);
    }

    private void AddMessage(FileDescriptorProto file, MessageElement? parent, string scope, DescriptorProto message, int[] path)
    {
        var full = $"{scope}.{message.Name}";
        var element = new MessageElement(full, message, file, parent, path);
        Messages[full] = element;
        for (var i = 0; i < message.NestedType.Count; i++)
        {
            AddMessage(file, element, full, message.NestedType[i], [.. path, 3, i]);
        }

        for (var i = 0; i < message.EnumType.Count; i++)
        {
            AddEnum(file, element, full, message.EnumType[i], [.. path, 4, i]);
        }

        for (var i = 0; i < message.Extension.Count; i++)
        {
            AddExtension(file, element, message.Extension[i], [.. path, 6, i]);
        }
    }

    private void AddEnum(FileDescriptorProto file, MessageElement? parent, string scope, EnumDescriptorProto e, int[] path) =>
        Enums[$"{scope}.{e.Name}"] = new EnumElement($"{scope}.{e.Name}", e, file, parent, path);

    private void AddExtension(FileDescriptorProto file, MessageElement? parent, FieldDescriptorProto field, int[] path) =>
        Extensions[(field.Extendee, field.Number)] = new FieldElement(field, null, parent, file, path);
}
