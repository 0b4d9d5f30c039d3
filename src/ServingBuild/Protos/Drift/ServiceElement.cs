using Google.Protobuf.Reflection;

namespace ServingBuild.Protos.Drift;

/// <summary>A service where it is declared: full name, file and source path.</summary>
public sealed record ServiceElement(string FullName, ServiceDescriptorProto Proto, FileDescriptorProto File, int[] Path)
{
    public string Name => FullName.TrimStart('.');
}
