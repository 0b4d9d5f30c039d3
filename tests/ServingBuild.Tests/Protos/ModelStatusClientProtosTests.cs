using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Protos;

/// <summary>
/// tests/ModelStatusClient builds the client's sources against protos/ plus four committed files, standing for
/// the protos/ a --keep-rpc=Predict,GetModelStatus run writes. This proves the stand-in true: the Protos stage,
/// run on the bundled workspace, writes exactly those four files beside files identical to protos/.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ModelStatusClientProtosTests
{
    [Fact]
    public async Task The_ModelStatusClient_protos_are_what_the_Protos_stage_adds_for_GetModelStatus()
    {
        using var run = new ProtosRun();
        using var scratch = new TempDir();
        var outDir = scratch.Combine("protos");
        var shipped = Path.Combine(TestPaths.Root, "protos");
        var added = Path.Combine(TestPaths.Root, "tests", "ModelStatusClient", "protos");

        Assert.Equal(0, await run.RunAsync(TestPaths.ServingMini, outDir, ["Predict", "GetModelStatus"]));

        var written = SourceFiles.Under(outDir, "*.proto").Select(f => Path.GetRelativePath(outDir, f)).Order(StringComparer.Ordinal).ToList();
        var fromAdded = SourceFiles.Under(added, "*.proto").Select(f => Path.GetRelativePath(added, f)).ToHashSet();
        Assert.Equal(
            ["get_model_status.proto", "model_service.proto", "tensorflow/core/protobuf/error_codes.proto", "tensorflow_serving/util/status.proto"],
            fromAdded.Order(StringComparer.Ordinal));
        foreach (var file in written)
        {
            var expected = Path.Combine(fromAdded.Contains(file) ? added : shipped, file);
            Assert.True(File.Exists(expected), $"the stage wrote {file}, which neither protos/ nor tests/ModelStatusClient/protos holds");
            Assert.True(File.ReadAllText(expected) == File.ReadAllText(Path.Combine(outDir, file)), $"{file} differs from what the Protos stage writes; copy it from a --keep-rpc=Predict,GetModelStatus run");
        }

        Assert.Superset(fromAdded, written.ToHashSet());
    }
}
