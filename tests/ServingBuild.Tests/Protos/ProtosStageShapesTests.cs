using Google.Protobuf.Reflection;
using ServingBuild.Options;
using ServingBuild.Protos;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Protos;

/// <summary>The stage on every upstream shape (real protoc): what is kept, what goes, what is copied.</summary>
[Trait("Category", "Integration")]
public sealed class ProtosStageShapesTests
{
    private static readonly string[] PredictClosure =
    [
        "model.proto", "predict.proto", "prediction_service.proto", ProtosLock.FileName,
        "tensorflow/core/framework/resource_handle.proto", "tensorflow/core/framework/tensor.proto",
        "tensorflow/core/framework/tensor_shape.proto", "tensorflow/core/framework/types.proto",
    ];

    private static IReadOnlyList<string> Methods(string outDir, string serviceFile = "prediction_service.proto") =>
        ProtosLock.Read(outDir)!.PreviousDescriptors().File.Single(f => f.Name == serviceFile).Service.Single().Method.Select(m => m.Name).ToList();

    [Fact]
    public async Task Strips_GetModelMetadata_from_the_two_rpc_0_5_0_service_in_the_submodule_layout()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var outDir = temp.Combine("protos");

        Assert.Equal(0, await run.RunAsync(ProtosRun.Fixture("serving-0.5.0"), outDir));

        Assert.Equal(PredictClosure, ProtosRun.Files(outDir));
        Assert.Equal(["Predict"], Methods(outDir));
        var service = File.ReadAllText(Path.Combine(outDir, "prediction_service.proto"));
        Assert.DoesNotContain("GetModelMetadata", service);
        Assert.DoesNotContain("Describes a loaded model", service);
        Assert.Contains("import \"predict.proto\";", service);
        Assert.DoesNotContain("get_model_metadata.proto", service);
        var predict = File.ReadAllText(Path.Combine(outDir, "predict.proto"));
        Assert.Contains("import \"model.proto\";", predict);
        Assert.Contains("import \"tensorflow/core/framework/tensor.proto\";", predict);
        var lockFile = ProtosLock.Read(outDir)!;
        Assert.Equal(["GetModelMetadata"], lockFile.RemovedRpcs);
        Assert.Equal(["tensorflow_serving/apis/get_model_metadata.proto"], lockFile.RemovedImports);
        // TensorFlow's files are copied unchanged.
        Assert.Equal(
            File.ReadAllBytes(ProtosRun.Fixture("serving-0.5.0/tensorflow/tensorflow/core/framework/tensor.proto")),
            File.ReadAllBytes(Path.Combine(outDir, "tensorflow/core/framework/tensor.proto")));
    }

    [Fact]
    public async Task Strips_Classify_Regress_and_GetModelMetadata_from_the_four_rpc_0_5_1_service()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var outDir = temp.Combine("protos");

        Assert.Equal(0, await run.RunAsync(ProtosRun.Fixture("serving-0.5.1"), outDir));

        Assert.Equal(PredictClosure, ProtosRun.Files(outDir));
        Assert.Equal(["Predict"], Methods(outDir));
        Assert.Equal(["Classify", "Regress", "GetModelMetadata"], ProtosLock.Read(outDir)!.RemovedRpcs);
        Assert.Equal(3, ProtosLock.Read(outDir)!.RemovedImports.Count);
    }

    [Fact]
    public async Task Strips_MultiInference_and_its_import_when_only_Predict_is_kept()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var outDir = temp.Combine("protos");

        Assert.Equal(0, await run.RunAsync(ProtosRun.Fixture("serving-1.x"), outDir));

        Assert.Equal(PredictClosure, ProtosRun.Files(outDir));
        var service = File.ReadAllText(Path.Combine(outDir, "prediction_service.proto"));
        Assert.DoesNotContain("MultiInference", service);
        Assert.DoesNotContain("inference.proto", service);
        // The rpc declared over two lines goes with both its lines.
        Assert.DoesNotContain("GetModelMetadataRequest", service);
        Assert.DoesNotContain("returns (", service.Replace("rpc Predict(PredictRequest) returns (PredictResponse);", "", StringComparison.Ordinal));
        Assert.Equal(["Classify", "Regress", "MultiInference", "GetModelMetadata"], ProtosLock.Read(outDir)!.RemovedRpcs);
    }

    [Fact]
    public async Task Keeps_an_rpc_declared_over_two_lines_with_the_TensorFlow_files_it_reaches()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var outDir = temp.Combine("protos");

        Assert.Equal(0, await run.RunAsync(ProtosRun.Fixture("serving-1.x"), outDir, ["GetModelMetadata"]));

        Assert.Equal(["GetModelMetadata"], Methods(outDir));
        var files = ProtosRun.Files(outDir);
        Assert.Contains("get_model_metadata.proto", files);
        Assert.Contains("tensorflow/core/protobuf/meta_graph.proto", files);
        Assert.DoesNotContain("predict.proto", files);
        Assert.DoesNotContain("tensorflow/core/framework/tensor.proto", files);
        var service = File.ReadAllText(Path.Combine(outDir, "prediction_service.proto"));
        Assert.Contains("rpc GetModelMetadata(GetModelMetadataRequest)\n      returns (GetModelMetadataResponse);", service);
    }

    [Fact]
    public async Task Keeping_Classify_copies_classification_and_input_flattened_and_example_from_TensorFlow()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var outDir = temp.Combine("protos");

        Assert.Equal(0, await run.RunAsync(ProtosRun.Fixture("serving-0.5.1"), outDir, ["Classify"]));

        Assert.Equal(
            ["classification.proto", "input.proto", "model.proto", "prediction_service.proto", ProtosLock.FileName,
             "tensorflow/core/example/example.proto", "tensorflow/core/example/feature.proto"],
            ProtosRun.Files(outDir));
        var classification = File.ReadAllText(Path.Combine(outDir, "classification.proto"));
        Assert.Contains("import \"input.proto\";", classification);
        Assert.Contains("import \"model.proto\";", classification);
    }

    [Fact]
    public async Task Keeps_several_rpcs_in_upstream_order()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var outDir = temp.Combine("protos");

        Assert.Equal(0, await run.RunAsync(ProtosRun.Fixture("serving-1.x"), outDir, ["Predict", "Classify"]));

        Assert.Equal(["Classify", "Predict"], Methods(outDir));
        Assert.Equal(["Regress", "MultiInference", "GetModelMetadata"], ProtosLock.Read(outDir)!.RemovedRpcs);
    }

    [Fact]
    public async Task Upstream_layout_keeps_tensorflow_serving_apis_paths_and_imports()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var outDir = temp.Combine("protos");

        Assert.Equal(0, await run.RunAsync(ProtosRun.Fixture("serving-1.x"), outDir, layout: ProtoLayout.Upstream));

        Assert.Contains("tensorflow_serving/apis/prediction_service.proto", ProtosRun.Files(outDir));
        Assert.Contains("tensorflow_serving/apis/model.proto", ProtosRun.Files(outDir));
        Assert.Equal(
            File.ReadAllBytes(ProtosRun.Fixture("serving-1.x/tensorflow_serving/apis/predict.proto")),
            File.ReadAllBytes(Path.Combine(outDir, "tensorflow_serving/apis/predict.proto")));
        Assert.Contains("import \"tensorflow_serving/apis/predict.proto\";", File.ReadAllText(Path.Combine(outDir, "tensorflow_serving/apis/prediction_service.proto")));
        Assert.Equal(["Predict"], Methods(outDir, "tensorflow_serving/apis/prediction_service.proto"));
    }

    [Fact]
    public async Task Keeps_proto3_optional_fields_of_the_2x_shape()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var outDir = temp.Combine("protos");

        Assert.Equal(0, await run.RunAsync(TestPaths.ServingMini, outDir));

        var predict = ProtosLock.Read(outDir)!.PreviousDescriptors().File.Single(f => f.Name == "predict.proto");
        var clientId = predict.MessageType.Single(m => m.Name == "PredictRequest").Field.Single(f => f.Name == "client_id");
        Assert.True(clientId.Proto3Optional);
        Assert.Equal(FieldDescriptorProto.Types.Type.Bytes, clientId.Type);
    }

    [Fact]
    public async Task Finds_TensorFlow_protos_given_with_tensorflow_dir()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var serving = temp.Combine("serving");
        ProtosRun.CopyTree(ProtosRun.Fixture("serving-1.x/tensorflow_serving"), temp, "serving/tensorflow_serving");
        var outDir = temp.Combine("protos");

        Assert.Equal(0, await run.RunAsync(serving, outDir, tensorflowDir: ProtosRun.Fixture("serving-1.x/tensorflow")));

        Assert.Equal(PredictClosure, ProtosRun.Files(outDir));
        Assert.Equal(ProtosRun.Fixture("serving-1.x/tensorflow"), ProtosLock.Read(outDir)!.TensorflowDir);
    }

    [Fact]
    public async Task Finds_TensorFlow_protos_in_Bazels_external_org_tensorflow_through_the_bazel_out_link()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var serving = temp.Combine("serving");
        ProtosRun.CopyTree(ProtosRun.Fixture("serving-1.x/tensorflow_serving"), temp, "serving/tensorflow_serving");
        // The shape Bazel leaves: <output_base>/external/org_tensorflow and bazel-out -> <output_base>/execroot/<ws>/bazel-out.
        var outputBase = temp.Combine("output_base");
        ProtosRun.CopyTree(ProtosRun.Fixture("serving-1.x/tensorflow"), temp, "output_base/external/org_tensorflow");
        Directory.CreateDirectory(Path.Combine(outputBase, "execroot", "tf_serving", "bazel-out"));
        Directory.CreateSymbolicLink(Path.Combine(serving, "bazel-out"), Path.Combine(outputBase, "execroot", "tf_serving", "bazel-out"));
        var outDir = temp.Combine("protos");

        Assert.Equal(0, await run.RunAsync(serving, outDir));

        Assert.Equal(Path.Combine(outputBase, "external", "org_tensorflow"), ProtosLock.Read(outDir)!.TensorflowDir);
    }

    [Fact]
    public async Task Asks_bazel_info_for_the_output_base_when_bazel_out_does_not_name_it()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var serving = temp.Combine("serving");
        ProtosRun.CopyTree(ProtosRun.Fixture("serving-1.x/tensorflow_serving"), temp, "serving/tensorflow_serving");
        ProtosRun.CopyTree(ProtosRun.Fixture("serving-1.x/tensorflow"), temp, "output_base/external/org_tensorflow");
        Directory.CreateDirectory(Path.Combine(serving, "bazel-out"));
        // A stand-in Bazel that answers `info output_base` as Bazel does (one path on stdout) and records its call.
        var bazel = temp.Write("bin/bazel", $"#!/bin/sh\necho \"$@\" > '{temp.Combine("bazel-args")}'\necho '{temp.Combine("output_base")}'\n");
        ProtosRun.MakeExecutable(bazel);
        var outDir = temp.Combine("protos");

        Assert.Equal(0, await run.RunAsync(serving, outDir, bazel: bazel));

        Assert.Equal("info output_base", File.ReadAllText(temp.Combine("bazel-args")).Trim());
        Assert.Equal(temp.Combine("output_base", "external", "org_tensorflow"), ProtosLock.Read(outDir)!.TensorflowDir);
    }

    [Fact]
    public async Task Does_not_start_bazel_when_there_is_no_bazel_out()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var serving = temp.Combine("serving");
        ProtosRun.CopyTree(ProtosRun.Fixture("serving-1.x/tensorflow_serving"), temp, "serving/tensorflow_serving");
        var bazel = temp.Write("bin/bazel", $"#!/bin/sh\ntouch '{temp.Combine("bazel-ran")}'\n");
        ProtosRun.MakeExecutable(bazel);

        await Assert.ThrowsAsync<TensorflowProtosNotFoundException>(() => run.RunAsync(serving, temp.Combine("protos"), bazel: bazel));

        Assert.False(File.Exists(temp.Combine("bazel-ran")));
    }

    [Theory]
    [InlineData("Classify")]
    [InlineData("Regress")]
    [InlineData("Predict")]
    [InlineData("MultiInference")]
    [InlineData("GetModelMetadata")]
    public async Task Cuts_by_protoc_spans_whatever_the_formatting(string keep)
    {
        // Block comments with tabs, detached comments, two rpcs on one line, trailing comments, an rpc with options over four lines.
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var outDir = temp.Combine("protos");

        Assert.Equal(0, await run.RunAsync(ProtosRun.Fixture("serving-odd"), outDir, [keep]));

        Assert.Equal([keep], Methods(outDir));
        var service = File.ReadAllText(Path.Combine(outDir, "prediction_service.proto"));
        foreach (var other in new[] { "Classify", "Regress", "Predict(", "MultiInference", "GetModelMetadata" }.Where(o => !o.StartsWith(keep, StringComparison.Ordinal)))
        {
            Assert.DoesNotContain("rpc " + other, service);
        }

        Assert.DoesNotContain("\n\n\n", service);
        Assert.DoesNotContain("{\n\n", service);
        if (keep != "Classify")
        {
            Assert.DoesNotContain("in a block comment", service);
        }
    }

    [Fact]
    public async Task Removes_a_shared_line_whole_with_its_comments_when_both_rpcs_on_it_go()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var outDir = temp.Combine("protos");

        Assert.Equal(0, await run.RunAsync(ProtosRun.Fixture("serving-odd"), outDir, ["Predict"]));

        var service = File.ReadAllText(Path.Combine(outDir, "prediction_service.proto"));
        Assert.DoesNotContain("share a line", service);
        Assert.DoesNotContain("detached comment", service);
        Assert.Contains("service PredictionService {\n  rpc Predict(PredictRequest) returns (PredictResponse); // trailing on the line\n", service);
    }

    [Fact]
    public async Task Bundled_workspace_gives_the_committed_protos_folder()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var outDir = temp.Combine("protos");
        var committed = Path.Combine(TestPaths.Root, "protos");

        Assert.Equal(0, await run.RunAsync(TestPaths.ServingMini, outDir, root: TestPaths.Root));

        Assert.Equal(PredictClosure, ProtosRun.Files(outDir));
        foreach (var file in ProtosRun.Files(outDir).Where(f => f.EndsWith(".proto", StringComparison.Ordinal)))
        {
            Assert.Equal(File.ReadAllText(Path.Combine(committed, file)), File.ReadAllText(Path.Combine(outDir, file)));
        }

        // The committed lock names the bundled tree relatively, so a fresh clone sees it up to date.
        var lockFile = ProtosLock.ReadVerified(committed);
        Assert.Equal("tests/serving-mini", lockFile.ServingDir);
        Assert.DoesNotContain(TestPaths.Root, File.ReadAllText(Path.Combine(committed, ProtosLock.FileName)));
        Assert.Equal(0, await run.RunAsync(TestPaths.ServingMini, committed, root: TestPaths.Root));
        Assert.Contains("up to date", run.Console);
    }

    [Fact]
    public async Task Never_modifies_the_serving_tree()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var serving = ProtosRun.CopyTree(TestPaths.ServingMini, temp);
        var before = ProtosRun.Hashes(serving);
        var times = SourceFiles.Under(serving).ToDictionary(f => f, File.GetLastWriteTimeUtc);

        Assert.Equal(0, await run.RunAsync(serving, temp.Combine("protos"), ["Predict", "Classify"]));
        Assert.Equal(0, await run.RunAsync(serving, temp.Combine("protos2"), layout: ProtoLayout.Upstream));

        Assert.Equal(before, ProtosRun.Hashes(serving));
        Assert.All(times, kv => Assert.Equal(kv.Value, File.GetLastWriteTimeUtc(kv.Key)));
    }
}
