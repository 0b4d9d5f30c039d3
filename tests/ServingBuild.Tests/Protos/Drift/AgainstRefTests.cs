using ServingBuild.Processes;
using ServingBuild.Protos;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Protos.Drift;

/// <summary>--against=REF on a git checkout made here with two tags: a report only, the gate applied, nothing written.</summary>
[Trait("Category", "Integration")]
public sealed class AgainstRefTests
{
    /// <summary>
    /// The miniature serving tree in a folder of a repository (as the bundled one is), committed as v1; then ModelSpec.version
    /// moved out of its oneof and a field renamed, committed as v2.
    /// </summary>
    private static async Task<string> CheckoutWithTwoTagsAsync(TempDir temp)
    {
        Require.Program("git", "git");
        var serving = ProtosRun.CopyTree(TestPaths.ServingMini, temp);
        async Task Git(params string[] args)
        {
            var result = await new ProcessRunner(TaskLog.Null).RunAsync(new ProcessSpec("git", ["-C", temp.Path, "-c", "user.name=drift", "-c", "user.email=drift@localhost", "-c", "commit.gpgsign=false", .. args]));
            Assert.True(result.Succeeded, $"git {string.Join(' ', args)}: {result.StandardError}");
        }

        await Git("init", "-q");
        await Git("add", "-A");
        await Git("commit", "-q", "-m", "v1");
        await Git("tag", "v1");
        var model = Path.Combine(serving, "tensorflow_serving/apis/model.proto");
        File.WriteAllText(model, File.ReadAllText(model)
            .Replace("  oneof version_choice {\n    google.protobuf.Int64Value version = 2;\n    string version_label = 4;\n  }", "  google.protobuf.Int64Value version = 2;\n  string version_label = 4;", StringComparison.Ordinal));
        var predict = Path.Combine(serving, "tensorflow_serving/apis/predict.proto");
        File.WriteAllText(predict, File.ReadAllText(predict).Replace("repeated string output_filter = 3;", "repeated string output_names = 3;", StringComparison.Ordinal));
        await Git("commit", "-q", "-am", "v2");
        await Git("tag", "v2");
        return serving;
    }

    [Fact]
    public async Task Against_the_older_tag_reports_FIELD_SAME_ONEOF_with_positions_and_writes_nothing_to_protos_out()
    {
        using var temp = new TempDir();
        using var run = new ProtosRun();
        var serving = await CheckoutWithTwoTagsAsync(temp);
        var outDir = temp.Combine("protos");
        var tempsBefore = Directory.GetDirectories(Path.GetTempPath(), "servingbuild-against-*").Length;

        var ex = await Assert.ThrowsAsync<BreakingDriftException>(() => run.RunAsync(serving, outDir, against: "v1"));

        Assert.Equal(ServingBuild.ExitCodes.BreakingDrift, ex.ExitCode);
        Assert.All(ex.Breaking, f => Assert.Equal("FIELD_SAME_ONEOF", f.Rule));
        Assert.Equal(["tensorflow.serving.ModelSpec.version", "tensorflow.serving.ModelSpec.version_label"], ex.Breaking.Select(f => f.Subject).Order(StringComparer.Ordinal));
        var oneof = ex.Breaking.Single(f => f.Subject == "tensorflow.serving.ModelSpec.version");
        Assert.Equal("v1:serving/tensorflow_serving/apis/model.proto:16:5", oneof.Before!.ToString());
        Assert.EndsWith("serving/tensorflow_serving/apis/model.proto:15:3", oneof.After!.ToString());
        Assert.Contains("since v1", ex.Message);
        Assert.Contains("drift: note FIELD_SAME_NAME tensorflow.serving.PredictRequest.output_filter", run.Console);
        Assert.False(Directory.Exists(outDir));
        var report = File.ReadAllText(Path.Combine(run.Artifacts, "protos-drift.md"));
        Assert.Contains("git ref `v1`", report);
        Assert.Contains("| FIELD_SAME_ONEOF | BREAKING | WIRE, WIRE_JSON | `tensorflow.serving.ModelSpec.version` |", report);
        Assert.Equal(tempsBefore, Directory.GetDirectories(Path.GetTempPath(), "servingbuild-against-*").Length);

        Assert.Equal(0, await run.RunAsync(serving, outDir, against: "v1", acceptRules: ["FIELD_SAME_ONEOF"]));
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public async Task Against_the_checked_out_tag_finds_nothing()
    {
        using var temp = new TempDir();
        using var run = new ProtosRun();
        var serving = await CheckoutWithTwoTagsAsync(temp);

        Assert.Equal(0, await run.RunAsync(serving, temp.Combine("protos"), against: "v2"));

        Assert.Contains("nothing the kept RPCs use changed since v2", run.Console);
    }

    [Fact]
    public async Task A_ref_that_does_not_exist_is_one_line_with_exit_2()
    {
        using var temp = new TempDir();
        using var run = new ProtosRun();
        var serving = await CheckoutWithTwoTagsAsync(temp);

        var ex = await Assert.ThrowsAsync<ToolkitException>(() => run.RunAsync(serving, temp.Combine("protos"), against: "v9"));

        Assert.Equal(ServingBuild.ExitCodes.Usage, ex.ExitCode);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.StartsWith("--against=v9: no such tag, branch or commit", ex.Message);
    }

    [Fact]
    public async Task A_serving_tree_that_is_not_a_git_checkout_is_one_line_with_exit_2()
    {
        using var temp = new TempDir();
        using var run = new ProtosRun();
        // Outside the toolkit's own repository, so git finds no checkout above it either.
        var serving = ProtosRun.CopyTree(TestPaths.ServingMini, temp);

        var ex = await Assert.ThrowsAsync<ToolkitException>(() => run.RunAsync(serving, temp.Combine("protos"), against: "v1"));

        Assert.Equal(ServingBuild.ExitCodes.Usage, ex.ExitCode);
        Assert.Contains("is not a git checkout", ex.Message);
    }
}
