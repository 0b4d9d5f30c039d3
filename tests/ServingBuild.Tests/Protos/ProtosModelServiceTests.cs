using ServingBuild.Protos;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Protos;

/// <summary>
/// Keeping ModelService RPCs beside PredictionService's (real protoc): model_service.proto stripped and proven
/// on the wire like prediction_service.proto, names unique across both services, and a 0.5.x tree (no
/// ModelService) refused naming the RPCs it has.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ProtosModelServiceTests
{
    private static readonly string OneX = ProtosRun.Fixture("serving-1.x");

    private static IReadOnlyList<string> Methods(string outDir, string serviceFile) =>
        ProtosLock.Read(outDir)!.PreviousDescriptors().File.Single(f => f.Name == serviceFile).Service.Single().Method.Select(m => m.Name).ToList();

    private static List<string> Files(string outDir) =>
        SourceFiles.Under(outDir).Select(f => Path.GetRelativePath(outDir, f)).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Keeps_GetModelStatus_beside_Predict_and_strips_HandleReloadConfigRequest_with_model_management()
    {
        using var run = new ProtosRun();
        using var scratch = new TempDir();
        var outDir = scratch.Combine("protos");

        Assert.Equal(0, await run.RunAsync(OneX, outDir, ["Predict", "GetModelStatus"]));

        Assert.Equal(
            [
                "get_model_status.proto", "model.proto", "model_service.proto", "predict.proto", "prediction_service.proto", ProtosLock.FileName,
                "tensorflow/core/framework/resource_handle.proto", "tensorflow/core/framework/tensor.proto", "tensorflow/core/framework/tensor_shape.proto",
                "tensorflow/core/framework/types.proto", "tensorflow/core/protobuf/error_codes.proto", "tensorflow_serving/util/status.proto",
            ],
            Files(outDir));
        Assert.Equal(["GetModelStatus"], Methods(outDir, "model_service.proto"));
        Assert.Equal(["Predict"], Methods(outDir, "prediction_service.proto"));
        var text = File.ReadAllText(Path.Combine(outDir, "model_service.proto"));
        Assert.DoesNotContain("HandleReloadConfigRequest", text);
        Assert.DoesNotContain("model_management", text);
        Assert.Contains("import \"get_model_status.proto\";", text);
        var theLock = ProtosLock.Read(outDir)!;
        Assert.Equal(["Predict", "GetModelStatus"], theLock.KeptRpcs);
        Assert.Contains("HandleReloadConfigRequest", theLock.RemovedRpcs);
        Assert.Contains("tensorflow_serving/apis/model_management.proto", theLock.RemovedImports);
        Assert.Contains(theLock.Inputs, i => i.Path == ServingProtoTree.ModelServiceProto);
        Assert.Contains("identical to upstream on the wire", run.Console);
        Assert.Contains("removed Classify, Regress, MultiInference, GetModelMetadata, HandleReloadConfigRequest", run.Console);

        // Again with nothing changed: up to date, no protoc.
        Assert.Equal(0, await run.RunAsync(OneX, outDir, ["Predict", "GetModelStatus"]));
        Assert.Contains("is up to date", run.Console);
    }

    [Fact]
    public async Task A_Predict_only_run_reads_nothing_of_ModelService()
    {
        using var run = new ProtosRun();
        using var scratch = new TempDir();
        var outDir = scratch.Combine("protos");

        Assert.Equal(0, await run.RunAsync(OneX, outDir));

        var theLock = ProtosLock.Read(outDir)!;
        Assert.DoesNotContain(theLock.Inputs, i => i.Path.Contains("model_service", StringComparison.Ordinal) || i.Path.Contains("get_model_status", StringComparison.Ordinal));
        Assert.DoesNotContain("model_service.proto", Files(outDir));
        Assert.DoesNotContain("HandleReloadConfigRequest", theLock.RemovedRpcs);
    }

    [Fact]
    public async Task Dropping_GetModelStatus_again_is_not_reported_as_a_deleted_service()
    {
        using var run = new ProtosRun();
        using var scratch = new TempDir();
        var outDir = scratch.Combine("protos");
        Assert.Equal(0, await run.RunAsync(OneX, outDir, ["Predict", "GetModelStatus"]));

        Assert.Equal(0, await run.RunAsync(OneX, outDir));

        Assert.DoesNotContain("BREAKING", run.Console);
        Assert.DoesNotContain("model_service.proto", Files(outDir));
        var theLock = ProtosLock.Read(outDir)!;
        Assert.Equal(["Predict"], theLock.KeptRpcs);
        Assert.DoesNotContain(theLock.Inputs, i => i.Path == ServingProtoTree.ModelServiceProto);
        Assert.Equal(0, await run.RunAsync(OneX, outDir));
        Assert.Contains("is up to date", run.Console);
    }

    [Fact]
    public async Task A_0_5_x_tree_without_ModelService_fails_naming_the_rpcs_it_has()
    {
        using var run = new ProtosRun();
        using var scratch = new TempDir();

        var ex = await Assert.ThrowsAsync<UnknownRpcException>(() => run.RunAsync(ProtosRun.Fixture("serving-0.5.1"), scratch.Combine("protos"), ["Predict", "GetModelStatus"]));

        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.StartsWith("--keep-rpc=GetModelStatus: no such RPC in ", ex.Message);
        Assert.Contains("it has Classify, Regress, Predict, GetModelMetadata", ex.Message);
        Assert.Contains($"this tree has no {ServingProtoTree.ModelServiceProto}", ex.Message);
        Assert.False(Directory.Exists(scratch.Combine("protos", "model_service.proto")));
    }

    [Fact]
    public async Task A_kept_name_that_both_services_declare_is_refused()
    {
        using var run = new ProtosRun();
        using var scratch = new TempDir();
        var serving = ProtosRun.CopyTree(OneX, scratch);
        var service = Path.Combine(serving, ServingProtoTree.ModelServiceProto);
        File.WriteAllText(service, File.ReadAllText(service).Replace(
            "rpc GetModelStatus(GetModelStatusRequest) returns (GetModelStatusResponse);",
            "rpc GetModelStatus(GetModelStatusRequest) returns (GetModelStatusResponse);\n  rpc Predict(GetModelStatusRequest) returns (GetModelStatusResponse);", StringComparison.Ordinal));

        var ex = await Assert.ThrowsAsync<ToolkitException>(() => run.RunAsync(serving, scratch.Combine("protos"), ["Predict", "GetModelStatus"]));

        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
        Assert.Equal("--keep-rpc=Predict: more than one service declares it (tensorflow.serving.PredictionService, tensorflow.serving.ModelService); RPC names must be unique across the kept services", ex.Message);
    }
}
