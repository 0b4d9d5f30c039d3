using Google.Protobuf.Reflection;
using ServingBuild.Processes;
using ServingBuild.Protos;
using ServingBuild.Protos.Drift;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Protos.Drift;

/// <summary>Compiles hand-written protos with the real protoc (with source info) and runs the rule registry over a pair.</summary>
internal static class DriftCompile
{
    public static async Task<FileDescriptorSet> CompileAsync(string text, string name = "x.proto")
    {
        using var temp = new TempDir();
        temp.Write(name, text);
        var protoc = Protoc.FromGrpcTools(new ProcessRunner(TaskLog.Null));
        return await protoc.ParseAsync([temp.Path], [name], sourceInfo: true, n => n, CancellationToken.None);
    }

    /// <summary>Every finding of the registry over the whole pair (no scope), as buf compares two inputs.</summary>
    public static async Task<IReadOnlyList<DescriptorFinding>> FindingsAsync(DriftPair pair)
    {
        var before = await CompileAsync(pair.Before);
        var after = await CompileAsync(pair.After);
        return DescriptorComparer.Compare(new DescriptorPairs(new DescriptorSide(before), new DescriptorSide(after)));
    }

    /// <summary>The distinct rule IDs of <paramref name="category"/> among the findings, sorted.</summary>
    public static string[] Ids(IEnumerable<DescriptorFinding> findings, string category) =>
        findings.Where(f => f.BreaksUnder(category)).Select(f => f.Rule).Distinct().Order(StringComparer.Ordinal).ToArray();
}
