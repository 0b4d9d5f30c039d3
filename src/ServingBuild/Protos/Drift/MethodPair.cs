using Google.Protobuf.Reflection;

namespace ServingBuild.Protos.Drift;

/// <summary>A method present on both sides, with its service and index (for its source path).</summary>
public sealed record MethodPair(ServiceElement BeforeService, int BeforeIndex, ServiceElement AfterService, int AfterIndex)
{
    public MethodDescriptorProto Before => BeforeService.Proto.Method[BeforeIndex];

    public MethodDescriptorProto After => AfterService.Proto.Method[AfterIndex];

    public string Subject => $"{BeforeService.Name}.{Before.Name}";

    public int[] BeforePath(int part = -1) => DescriptorPairs.Part([.. BeforeService.Path, 2, BeforeIndex], part);

    public int[] AfterPath(int part = -1) => DescriptorPairs.Part([.. AfterService.Path, 2, AfterIndex], part);
}
