using Google.Protobuf.Reflection;
using ServingBuild.Protos;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Protos;

/// <summary>Each drift rule on a before/after pair (real protoc), then drift through the stage itself.</summary>
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

    private static string Edit(params string[] findReplace)
    {
        var text = Before;
        for (var i = 0; i < findReplace.Length; i += 2)
        {
            Assert.Contains(findReplace[i], text);
            text = text.Replace(findReplace[i], findReplace[i + 1], StringComparison.Ordinal);
        }

        return text;
    }

    public static TheoryData<string, FindingClass, string[]> Pairs => new()
    {
        { "FIELD_NO_DELETE", FindingClass.WireBreaking, ["  int32 count = 2;\n", ""] },
        { "FIELD_SAME_TYPE", FindingClass.WireBreaking, ["int32 count = 2;", "int64 count = 2;"] },
        { "FIELD_SAME_NUMBER", FindingClass.WireBreaking, ["int32 count = 2;", "int32 count = 12;"] },
        { "FIELD_SAME_NAME", FindingClass.WireBreaking, ["int32 count = 2;", "int32 total = 2;"] },
        { "FIELD_SAME_LABEL", FindingClass.WireBreaking, ["repeated string tags = 3;", "string tags = 3;"] },
        { "FIELD_SAME_LABEL", FindingClass.WireBreaking, ["int32 count = 2;", "optional int32 count = 2;"] },
        { "FIELD_SAME_ONEOF", FindingClass.WireBreaking, ["    int64 b = 5;\n  }", "  }\n  int64 b = 5;"] },
        { "FIELD_SAME_JSON_NAME", FindingClass.WireBreaking, ["string name = 1;", "string name = 1 [json_name = \"title\"];"] },
        { "FIELD_SAME_PACKED", FindingClass.WireBreaking, ["[packed = true]", "[packed = false]"] },
        { "MESSAGE_NO_DELETE", FindingClass.WireBreaking, ["Inner inner = 7;", "Resp inner = 7;", "  message Inner {\n    string x = 1;\n  }\n", ""] },
        { "ENUM_NO_DELETE", FindingClass.WireBreaking, ["Kind kind = 6;", "int32 kind = 6;", "enum Kind {\n  KIND_UNSPECIFIED = 0;\n  KIND_A = 1;\n  KIND_B = 2;\n  reserved 9;\n}\n", ""] },
        { "ENUM_VALUE_NO_DELETE", FindingClass.WireBreaking, ["  KIND_B = 2;\n", ""] },
        { "ENUM_VALUE_SAME_NAME", FindingClass.WireBreaking, ["KIND_B = 2;", "KIND_C = 2;"] },
        { "RESERVED_MESSAGE_NO_DELETE", FindingClass.WireBreaking, ["  reserved 20;\n", ""] },
        { "RESERVED_ENUM_NO_DELETE", FindingClass.WireBreaking, ["  reserved 9;\n", ""] },
        { "RPC_NO_DELETE", FindingClass.WireBreaking, ["rpc Get(Req)", "rpc Fetch(Req)"] },
        { "RPC_SAME_REQUEST_TYPE", FindingClass.WireBreaking, ["rpc Get(Req) returns (Resp);", "rpc Get(Resp) returns (Resp);"] },
        { "RPC_SAME_RESPONSE_TYPE", FindingClass.WireBreaking, ["rpc Get(Req) returns (Resp);", "rpc Get(Req) returns (Req);"] },
        { "RPC_SAME_CLIENT_STREAMING", FindingClass.WireBreaking, ["rpc Get(Req)", "rpc Get(stream Req)"] },
        { "RPC_SAME_SERVER_STREAMING", FindingClass.WireBreaking, ["returns (Resp)", "returns (stream Resp)"] },
        { "SERVICE_NO_DELETE", FindingClass.WireBreaking, ["service Svc {", "service Service {"] },
        { "FIELD_ADDED", FindingClass.Additive, ["Inner inner = 7;", "Inner inner = 7;\n  string note = 10;"] },
        { "RPC_ADDED", FindingClass.Additive, ["rpc Get(Req) returns (Resp);", "rpc Get(Req) returns (Resp);\n  rpc More(Req) returns (Resp);"] },
        { "ENUM_VALUE_ADDED", FindingClass.Additive, ["KIND_B = 2;", "KIND_B = 2;\n  KIND_C = 3;"] },
        { "MESSAGE_ADDED", FindingClass.Additive, ["Inner inner = 7;", "Inner inner = 7;\n  Extra extra = 11;", "message Resp {", "message Extra {\n  string y = 1;\n}\n\nmessage Resp {"] },
        { "ENUM_ADDED", FindingClass.Additive, ["Inner inner = 7;", "Inner inner = 7;\n  Mood mood = 11;", "message Resp {", "enum Mood {\n  MOOD_UNSPECIFIED = 0;\n}\n\nmessage Resp {"] },
        { "RESERVED_ADDED", FindingClass.Additive, ["reserved 20;", "reserved 20, 30 to 32;"] },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task Each_rule_fires_on_its_before_after_pair(string rule, FindingClass expected, string[] edit)
    {
        var before = await CompileAsync(Before);
        var after = await CompileAsync(Edit(edit));

        var findings = ProtoDrift.Compare(before, after, ["Get"]);

        var hit = Assert.Single(findings, f => f.Rule == rule);
        Assert.Equal(expected, hit.Class);
        if (expected == FindingClass.Additive)
        {
            Assert.DoesNotContain(findings, f => f.IsBreaking);
        }
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
        Assert.Contains("FIELD_NO_DELETE tensorflow.serving.PredictRequest.output_filter", ex.Message);
        Assert.Contains("--accept-breaking", ex.Message);
        Assert.Equal(before, ProtosRun.Hashes(outDir));
        var report = File.ReadAllText(Path.Combine(run.Artifacts, "protos-drift.md"));
        Assert.Contains("## RPC tensorflow.serving.PredictionService.Predict", report);
        Assert.Contains("| FIELD_NO_DELETE | wire-breaking | `tensorflow.serving.PredictRequest.output_filter` |", report);

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

        Assert.Contains("additive FIELD_ADDED tensorflow.TensorProto.from_drift_test", run.Console);
        Assert.Contains("FIELD_ADDED", File.ReadAllText(Path.Combine(run.Artifacts, "protos-drift.md")));
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
    public async Task A_kept_rpc_deleted_upstream_is_RPC_NO_DELETE()
    {
        using var run = new ProtosRun();
        using var temp = new TempDir();
        var serving = ProtosRun.CopyTree(TestPaths.ServingMini, temp);
        var outDir = temp.Combine("protos");
        Assert.Equal(0, await run.RunAsync(serving, outDir, ["Predict", "Regress"]));
        var service = Path.Combine(serving, ServingProtoTree.ServiceProto);
        File.WriteAllText(service, File.ReadAllText(service).Replace("  rpc Regress(RegressionRequest) returns (RegressionResponse);\n", "", StringComparison.Ordinal));

        var ex = await Assert.ThrowsAsync<BreakingDriftException>(() => run.RunAsync(serving, outDir, ["Predict", "Regress"]));

        Assert.Contains("RPC_NO_DELETE tensorflow.serving.PredictionService.Regress", ex.Message);
    }
}
