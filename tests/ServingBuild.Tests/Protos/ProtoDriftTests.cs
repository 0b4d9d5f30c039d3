using Google.Protobuf.Reflection;
using ServingBuild.Protos;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Protos;

/// <summary>Drift through the stage itself: the gate by category, --accept-breaking, positions in the console and the report.</summary>
[Trait("Category", "Integration")]
public sealed class ProtoDriftTests
{
    private static readonly string Before = File.ReadAllText(ProtosRun.Fixture("drift/before.proto"));

    internal static async Task<FileDescriptorSet> CompileAsync(string text, string name = "drift.proto")
    {
        using var temp = new TempDir();
        temp.Write(name, text);
        var protoc = Protoc.FromGrpcTools(new ProcessRunner(TaskLog.Null));
        return await protoc.ParseAsync([temp.Path], [name], sourceInfo: false, n => n, CancellationToken.None);
    }

    [Fact]
    public async Task Identical_descriptors_have_no_findings_and_unreached_messages_are_ignored()
    {
        var before = await CompileAsync(Before + "\nmessage Unused {\n  string gone = 1;\n}\n");
        var after = await CompileAsync(Before);

        Assert.Empty(ProtoDrift.Compare(before, before, ["Get"]));
        Assert.Empty(ProtoDrift.Compare(before, after, ["Get"]));
    }

    [Fact]
    public async Task A_breaking_upstream_change_fails_with_its_rule_and_keeps_the_old_output_until_accepted()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var serving = ProtosRun.CopyTree(TestPaths.ServingMini, temp);
        var outDir = temp.Combine("protos");
        Assert.Equal(0, await run.RunAsync(serving, outDir));
        var before = ProtosRun.Hashes(outDir);
        var predict = Path.Combine(serving, "tensorflow_serving/apis/predict.proto");
        File.WriteAllText(predict, File.ReadAllText(predict).Replace("  repeated string output_filter = 3;\n", "", StringComparison.Ordinal));

        var ex = await Assert.ThrowsAsync<BreakingDriftException>(() => run.RunAsync(serving, outDir));

        Assert.Equal(ServingBuild.ExitCodes.BreakingDrift, ex.ExitCode);
        Assert.Contains("FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED tensorflow.serving.PredictRequest.output_filter", ex.Message);
        Assert.Contains("--accept-breaking=FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(ex.Message, @"at \S*predict\.proto:\d+:\d+"), ex.Message);
        Assert.Equal(before, ProtosRun.Hashes(outDir));
        var report = File.ReadAllText(Path.Combine(run.Artifacts, "protos-drift.md"));
        Assert.Contains("## RPC tensorflow.serving.PredictionService.Predict", report);
        Assert.Matches(@"\| FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED \| BREAKING \| WIRE, WIRE_JSON \| `tensorflow.serving.PredictRequest.output_filter` \| [^|]+ \| protos/predict\.proto:18:3 \| serving/tensorflow_serving/apis/predict\.proto:13:1 \|", report.Replace(temp.Path + "/", "", StringComparison.Ordinal));

        Assert.Equal(0, await run.RunAsync(serving, outDir, acceptBreaking: true));
        Assert.DoesNotContain("output_filter", File.ReadAllText(Path.Combine(outDir, "predict.proto")));
        Assert.Contains("accepted", run.Console);
    }

    [Fact]
    public async Task An_additive_upstream_change_is_reported_and_taken()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var serving = ProtosRun.CopyTree(TestPaths.ServingMini, temp);
        var outDir = temp.Combine("protos");
        Assert.Equal(0, await run.RunAsync(serving, outDir));
        var tensor = Path.Combine(serving, "tensorflow/core/framework/tensor.proto");
        File.WriteAllText(tensor, File.ReadAllText(tensor).Replace("int32 version_number = 3;", "int32 version_number = 3;\n  bool from_drift_test = 99;", StringComparison.Ordinal));

        Assert.Equal(0, await run.RunAsync(serving, outDir));

        Assert.Matches(@"drift: added tensorflow\.TensorProto\.from_drift_test: new field 99 \(bool\) \(after [^)]*tensor\.proto:\d+:\d+\)", run.Console);
        Assert.Contains("| added | addition |", File.ReadAllText(Path.Combine(run.Artifacts, "protos-drift.md")));
        Assert.Contains("from_drift_test", File.ReadAllText(Path.Combine(outDir, "tensorflow/core/framework/tensor.proto")));
    }

    [Fact]
    public async Task A_change_only_stripped_rpcs_see_is_not_drift()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var serving = ProtosRun.CopyTree(TestPaths.ServingMini, temp);
        var outDir = temp.Combine("protos");
        Assert.Equal(0, await run.RunAsync(serving, outDir));
        var classification = Path.Combine(serving, "tensorflow_serving/apis/classification.proto");
        File.WriteAllText(classification, File.ReadAllText(classification).Replace("  float score = 2;\n", "", StringComparison.Ordinal));

        Assert.Equal(0, await run.RunAsync(serving, outDir));

        Assert.Contains("nothing the kept RPCs use changed", run.Console);
        var report = File.ReadAllText(Path.Combine(run.Artifacts, "protos-drift.md"));
        Assert.Contains("0 finding(s)", report);
        Assert.Contains("No change in the RPC", report);
    }

    [Fact]
    public async Task A_kept_rpc_deleted_upstream_is_an_RPC_NO_DELETE_note_and_then_an_unknown_rpc()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var serving = ProtosRun.CopyTree(TestPaths.ServingMini, temp);
        var outDir = temp.Combine("protos");
        Assert.Equal(0, await run.RunAsync(serving, outDir, ["Predict", "Regress"]));
        var service = Path.Combine(serving, ServingProtoTree.ServiceProto);
        File.WriteAllText(service, File.ReadAllText(service).Replace("  rpc Regress(RegressionRequest) returns (RegressionResponse);\n", "", StringComparison.Ordinal));

        // RPC_NO_DELETE is a FILE rule (deleting an RPC changes no message on the wire): a note; keeping it is what fails.
        var ex = await Assert.ThrowsAsync<UnknownRpcException>(() => run.RunAsync(serving, outDir, ["Predict", "Regress"]));

        Assert.Equal(ServingBuild.ExitCodes.Usage, ex.ExitCode);
        Assert.Contains("drift: note RPC_NO_DELETE tensorflow.serving.PredictionService.Regress", run.Console);
    }

    [Fact]
    public async Task An_upstream_rename_passes_the_WIRE_gate_as_notes_and_fails_WIRE_JSON_until_its_rules_are_accepted()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var serving = ProtosRun.CopyTree(TestPaths.ServingMini, temp);
        var outDir = temp.Combine("protos");
        Assert.Equal(0, await run.RunAsync(serving, outDir));
        var predict = Path.Combine(serving, "tensorflow_serving/apis/predict.proto");
        File.WriteAllText(predict, File.ReadAllText(predict).Replace("repeated string output_filter = 3;", "repeated string output_names = 3;", StringComparison.Ordinal));
        var before = ProtosRun.Hashes(outDir);

        var ex = await Assert.ThrowsAsync<BreakingDriftException>(() => run.RunAsync(serving, outDir, breaking: "WIRE_JSON"));

        Assert.Equal(ServingBuild.ExitCodes.BreakingDrift, ex.ExitCode);
        Assert.Equal(["FIELD_SAME_JSON_NAME", "FIELD_SAME_NAME"], ex.Breaking.Select(f => f.Rule).Order(StringComparer.Ordinal));
        Assert.Contains("--accept-breaking=FIELD_SAME_NAME,FIELD_SAME_JSON_NAME", ex.Message.Replace("FIELD_SAME_JSON_NAME,FIELD_SAME_NAME", "FIELD_SAME_NAME,FIELD_SAME_JSON_NAME", StringComparison.Ordinal));
        Assert.Equal(before, ProtosRun.Hashes(outDir));

        var partly = await Assert.ThrowsAsync<BreakingDriftException>(() => run.RunAsync(serving, outDir, breaking: "WIRE_JSON", acceptRules: ["FIELD_SAME_NAME"]));
        Assert.Equal("FIELD_SAME_JSON_NAME", Assert.Single(partly.Breaking).Rule);

        Assert.Equal(0, await run.RunAsync(serving, outDir, breaking: "WIRE_JSON", acceptRules: ["FIELD_SAME_NAME", "FIELD_SAME_JSON_NAME"]));
        Assert.Matches(@"drift: accepted FIELD_SAME_NAME tensorflow\.serving\.PredictRequest\.output_filter: field 3 is now named output_names \[WIRE_JSON\] \(before [^ ]*predict\.proto:18:19, after [^ ]*predict\.proto:18:19\)", run.Console);
        Assert.Contains("output_names", File.ReadAllText(Path.Combine(outDir, "predict.proto")));
    }

    [Fact]
    public async Task Under_the_default_WIRE_gate_a_rename_and_int32_to_int64_are_notes_and_the_output_is_taken()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var serving = ProtosRun.CopyTree(TestPaths.ServingMini, temp);
        var outDir = temp.Combine("protos");
        Assert.Equal(0, await run.RunAsync(serving, outDir));
        var tensor = Path.Combine(serving, "tensorflow/core/framework/tensor.proto");
        File.WriteAllText(tensor, File.ReadAllText(tensor).Replace("int32 version_number = 3;", "int64 version_number = 3;", StringComparison.Ordinal));
        var predict = Path.Combine(serving, "tensorflow_serving/apis/predict.proto");
        File.WriteAllText(predict, File.ReadAllText(predict).Replace("repeated string output_filter = 3;", "repeated string output_names = 3;", StringComparison.Ordinal));

        Assert.Equal(0, await run.RunAsync(serving, outDir));

        Assert.Contains("drift: note FIELD_WIRE_JSON_COMPATIBLE_TYPE tensorflow.TensorProto.version_number: type int32 became int64 [WIRE_JSON]", run.Console);
        Assert.Contains("drift: note FIELD_SAME_NAME tensorflow.serving.PredictRequest.output_filter", run.Console);
        Assert.Contains("nothing breaks WIRE clients", run.Console);
        Assert.Contains("int64 version_number = 3;", File.ReadAllText(Path.Combine(outDir, "tensorflow/core/framework/tensor.proto")));
    }
}
