using Google.Protobuf.Reflection;

namespace ServingBuild.Protos;

/// <summary>One service file of a <see cref="StripPlan"/>: the methods ([service, method]) and imports (by index) cut from it.</summary>
public sealed record ServiceFileStrip(FileDescriptorProto File, IReadOnlyList<(int Service, int Method)> RemovedMethods, IReadOnlyList<int> RemovedImportIndexes)
{
    public IReadOnlyList<string> RemovedImports => RemovedImportIndexes.Select(i => File.Dependency[i]).ToList();
}
