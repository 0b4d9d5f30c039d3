using Google.Protobuf.Reflection;

namespace ServingBuild.Protos.Drift;

/// <summary>An enum where it is declared: full name, file, enclosing message and source path.</summary>
public sealed record EnumElement(string FullName, EnumDescriptorProto Proto, FileDescriptorProto File, MessageElement? Parent, int[] Path)
{
    public string Name => FullName.TrimStart('.');

    public IEnumerable<FeatureSet> FeatureChain()
    {
        if (Proto.Options?.Features is { } own)
        {
            yield return own;
        }

        var parent = Parent?.FeatureChain() ?? (File.Options?.Features is { } ff ? [ff] : []);
        foreach (var f in parent)
        {
            yield return f;
        }
    }
}
