using Google.Protobuf.Reflection;

namespace ServingBuild.Protos.Drift;

/// <summary>A message where it is declared: full name (".pkg.Outer.Inner"), file, enclosing message and source path.</summary>
public sealed record MessageElement(string FullName, DescriptorProto Proto, FileDescriptorProto File, MessageElement? Parent, int[] Path)
{
    public string Name => FullName.TrimStart('.');

    public bool IsMapEntry => Proto.Options?.MapEntry == true;

    /// <summary>The features set on this message, its enclosing messages and its file, innermost first.</summary>
    public IEnumerable<FeatureSet> FeatureChain()
    {
        for (var m = this; m is not null; m = m.Parent)
        {
            if (m.Proto.Options?.Features is { } f)
            {
                yield return f;
            }
        }

        if (File.Options?.Features is { } ff)
        {
            yield return ff;
        }
    }
}
