using ServingBuild.Options;
using ServingBuild.Protos;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Protos;

/// <summary>Each bad input: one line naming what and where, non-zero exit, nothing written.</summary>
[Trait("Category", "Integration")]
public sealed class ProtosStageBadInputTests
{
    [Fact]
    public async Task A_syntax_error_names_file_line_and_column_and_writes_nothing()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var serving = ProtosRun.CopyTree(TestPaths.ServingMini, temp);
        var predict = Path.Combine(serving, "tensorflow_serving/apis/predict.proto");
        var lines = File.ReadAllLines(predict).ToList();
        var at = lines.FindIndex(l => l.Contains("repeated string output_filter = 3;", StringComparison.Ordinal));
        lines[at] = "  repeated string output_filter = 3";
        File.WriteAllLines(predict, lines);
        var outDir = temp.Combine("protos");

        var ex = await Assert.ThrowsAsync<ProtoSyntaxException>(() => run.RunAsync(serving, outDir));

        // protoc reports where it expected the ';': the next token, after the broken line.
        Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(predict)}:\\d+:\\d+: Expected \";\"", ex.Message);
        Assert.True(int.Parse(ex.Location.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture) > at);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.NotEqual(0, ex.ExitCode);
        Assert.False(Directory.Exists(outDir));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(temp.Path), e => Path.GetFileName(e).StartsWith(".protos", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tree_without_prediction_service_proto_is_refused()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var serving = ProtosRun.CopyTree(TestPaths.ServingMini, temp);
        File.Delete(Path.Combine(serving, ServingProtoTree.ServiceProto));
        var outDir = temp.Combine("protos");

        var ex = await Assert.ThrowsAsync<ServiceProtoNotFoundException>(() => run.RunAsync(serving, outDir));

        Assert.Contains("tensorflow_serving/apis/prediction_service.proto", ex.Message);
        Assert.Contains("--serving-dir", ex.Message);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task An_unknown_keep_rpc_lists_the_rpcs_that_exist()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var outDir = temp.Combine("protos");

        var ex = await Assert.ThrowsAsync<UnknownRpcException>(() => run.RunAsync(TestPaths.ServingMini, outDir, ["Predict", "Explain"]));

        Assert.Equal(["Explain"], ex.Unknown);
        Assert.Contains("it has Classify, Regress, Predict, MultiInference, GetModelMetadata", ex.Message);
        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task Missing_TensorFlow_protos_say_where_the_stage_looked_and_which_option_to_pass()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var serving = temp.Combine("serving");
        ProtosRun.CopyTree(ProtosRun.Fixture("serving-1.x/tensorflow_serving"), temp, "serving/tensorflow_serving");
        var outDir = temp.Combine("protos");

        var ex = await Assert.ThrowsAsync<TensorflowProtosNotFoundException>(() => run.RunAsync(serving, outDir));

        Assert.Contains("--tensorflow-dir", ex.Message);
        Assert.Contains(Path.Combine(serving, "tensorflow", "tensorflow", "core", "framework"), ex.Message);
        Assert.Contains(Path.Combine(serving, "tensorflow", "core", "framework"), ex.Message);
        Assert.Contains("bazel-out", ex.Message);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task A_tensorflow_dir_without_TensorFlow_protos_is_refused()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var empty = Directory.CreateDirectory(temp.Combine("empty")).FullName;

        var ex = await Assert.ThrowsAsync<TensorflowProtosNotFoundException>(() => run.RunAsync(TestPaths.ServingMini, temp.Combine("protos"), tensorflowDir: empty));

        Assert.Contains(Path.Combine(empty, "tensorflow", "core", "framework"), ex.Message);
    }

    [Fact]
    public async Task A_file_a_kept_rpc_needs_that_cannot_be_found_is_named()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var serving = ProtosRun.CopyTree(TestPaths.ServingMini, temp);
        File.Delete(Path.Combine(serving, "tensorflow/core/framework/tensor_shape.proto"));
        var outDir = temp.Combine("protos");

        var ex = await Assert.ThrowsAsync<ProtoFileMissingException>(() => run.RunAsync(serving, outDir));

        Assert.Equal("tensorflow/core/framework/tensor_shape.proto", ex.File);
        Assert.Contains($"imported at {serving}/tensorflow/core/framework/", ex.Message);
        Assert.Contains("needed by the kept RPC Predict", ex.Message);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task A_missing_file_only_stripped_rpcs_need_does_not_stop_the_stage()
    {
        // A partial TensorFlow tree: meta_graph.proto (GetModelMetadata's closure) and example.proto (Classify, Regress, MultiInference) are absent.
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var serving = ProtosRun.CopyTree(TestPaths.ServingMini, temp);
        File.Delete(Path.Combine(serving, "tensorflow/core/protobuf/meta_graph.proto"));
        File.Delete(Path.Combine(serving, "tensorflow/core/example/example.proto"));
        var outDir = temp.Combine("protos");

        Assert.Equal(0, await run.RunAsync(serving, outDir));

        foreach (var file in ProtosRun.Files(outDir).Where(f => f.EndsWith(".proto", StringComparison.Ordinal)))
        {
            Assert.Equal(File.ReadAllText(Path.Combine(TestPaths.Root, "protos", file)), File.ReadAllText(Path.Combine(outDir, file)));
        }

        Assert.Equal(["Classify", "Regress", "MultiInference", "GetModelMetadata"], ProtosLock.Read(outDir)!.RemovedRpcs);
        Assert.Contains("cannot be parsed", run.Console);

        var ex = await Assert.ThrowsAsync<ProtoFileMissingException>(() => run.RunAsync(serving, temp.Combine("protos2"), ["Predict", "GetModelMetadata"]));
        Assert.Equal("tensorflow/core/protobuf/meta_graph.proto", ex.File);
        Assert.Contains("needed by the kept RPC GetModelMetadata", ex.Message);
        Assert.Contains($"imported at {serving}/tensorflow_serving/apis/get_model_metadata.proto:", ex.Message);
        Assert.False(Directory.Exists(temp.Combine("protos2")));
    }

    [Fact]
    public void An_empty_keep_rpc_is_rejected_by_the_parser()
    {
        var ex = Assert.Throws<OptionsException>(() => OptionsParser.Parse(["--keep-rpc="], TestPaths.Toolkit));

        Assert.Contains("--keep-rpc", ex.Message);
    }

    [Fact]
    public async Task An_output_folder_holding_other_files_is_not_replaced()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var outDir = temp.Combine("protos");
        temp.Write("protos/notes.txt", "mine");

        await Assert.ThrowsAsync<ProtosOutputNotOwnedException>(() => run.RunAsync(TestPaths.ServingMini, outDir));

        Assert.Equal(["notes.txt"], ProtosRun.Files(outDir));
    }

    [Theory]
    [InlineData("tensorflow_serving/generated")]
    [InlineData("..")]
    public async Task An_output_folder_overlapping_the_serving_tree_is_refused(string relative)
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var serving = ProtosRun.CopyTree(TestPaths.ServingMini, temp);
        var before = ProtosRun.Hashes(serving);

        var ex = await Assert.ThrowsAsync<ToolkitException>(() => run.RunAsync(serving, Path.GetFullPath(Path.Combine(serving, relative))));

        Assert.Contains("overlaps the input tree", ex.Message);
        Assert.Equal(before, ProtosRun.Hashes(serving));
    }

    [Fact]
    public async Task A_failed_run_leaves_the_previous_output_as_it_was()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var serving = ProtosRun.CopyTree(TestPaths.ServingMini, temp);
        var outDir = temp.Combine("protos");
        Assert.Equal(0, await run.RunAsync(serving, outDir));
        var before = ProtosRun.Hashes(outDir);
        File.AppendAllText(Path.Combine(serving, "tensorflow_serving/apis/model.proto"), "\nmessage Broken {\n");

        await Assert.ThrowsAsync<ProtoSyntaxException>(() => run.RunAsync(serving, outDir));

        Assert.Equal(before, ProtosRun.Hashes(outDir));
    }
}
