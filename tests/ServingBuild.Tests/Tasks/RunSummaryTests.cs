using System.Text.Json;
using ServingBuild.Options;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Tasks;

public sealed class RunSummaryTests : IDisposable
{
    private readonly TempDir _root = new("summary");

    private ToolkitPaths Paths => new(_root.Path);

    private StageContext Context(TaskLog log, params string[] args) => new(OptionsParser.Parse(args, TestPaths.Toolkit), Paths, log);

    [Fact]
    public async Task Each_task_merges_its_entry_and_the_file_lists_them_in_pipeline_order()
    {
        using var log = Require.Log();
        await RunSummary.RecordAsync(Context(log), "Verify", () => Task.FromResult(0));
        await RunSummary.RecordAsync(Context(log), "BazelBuild", () => Task.FromResult(0));

        var summary = RunSummary.Read(RunSummary.PathFor(Paths));

        Assert.Equal(["BazelBuild", "Verify"], summary.Tasks.Select(t => t.Task));
        Assert.All(summary.Tasks, t => Assert.Equal("succeeded", t.Status));
    }

    [Fact]
    public async Task A_second_run_of_a_task_replaces_its_entry()
    {
        using var log = Require.Log();
        await RunSummary.RecordAsync(Context(log), "Doctor", () => Task.FromResult(0));
        await RunSummary.RecordAsync(Context(log), "Doctor", () => Task.FromResult(ExitCodes.DoctorFindings));

        var entry = Assert.Single(RunSummary.Read(RunSummary.PathFor(Paths)).Tasks);

        Assert.Equal(ExitCodes.DoctorFindings, entry.ExitCode);
        Assert.Equal("failed", entry.Status);
    }

    [Fact]
    public async Task A_failing_task_is_recorded_with_its_exit_code_and_line_and_the_exception_passes_through()
    {
        using var log = Require.Log();
        var thrown = await Assert.ThrowsAsync<ToolkitException>(() => RunSummary.RecordAsync(Context(log), "Protos",
            () => throw new ToolkitException("protos/ is broken; fix it", ExitCodes.BreakingDrift)));

        var entry = Assert.Single(RunSummary.Read(RunSummary.PathFor(Paths)).Tasks);

        Assert.Equal("protos/ is broken; fix it", thrown.Message);
        Assert.Equal(ExitCodes.BreakingDrift, entry.ExitCode);
        Assert.Equal("protos/ is broken; fix it", entry.Error);
        Assert.Equal("failed", entry.Status);
    }

    [Fact]
    public async Task An_interrupted_task_is_recorded_as_interrupted_with_130()
    {
        using var log = Require.Log();
        await Assert.ThrowsAsync<OperationCanceledException>(() => RunSummary.RecordAsync(Context(log), "BazelBuild", () => throw new OperationCanceledException()));

        var entry = Assert.Single(RunSummary.Read(RunSummary.PathFor(Paths)).Tasks);

        Assert.Equal(("interrupted", ExitCodes.Interrupted), (entry.Status, entry.ExitCode));
    }

    [Fact]
    public async Task Outputs_are_the_files_the_task_produces_relative_to_the_root()
    {
        using var log = Require.Log();
        await RunSummary.RecordAsync(Context(log), "Verify", () =>
        {
            _root.Write("artifacts/verify-report.json", "{}");
            _root.Write("artifacts/test-results/verify.xml", "<testsuites/>");
            return Task.FromResult(0);
        });

        var entry = Assert.Single(RunSummary.Read(RunSummary.PathFor(Paths)).Tasks);

        Assert.Equal(["artifacts/verify-report.json", "artifacts/test-results/verify.xml"], entry.Outputs);
        Assert.True(entry.DurationSeconds >= 0);
        Assert.True(entry.Start <= DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task After_a_failure_only_outputs_written_during_the_run_are_listed()
    {
        using var log = Require.Log();
        var old = _root.Write("artifacts/verify-report.json", "{}");
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-1));

        await Assert.ThrowsAsync<ToolkitException>(() => RunSummary.RecordAsync(Context(log), "Verify", () => throw new ToolkitException("failed")));

        Assert.Empty(Assert.Single(RunSummary.Read(RunSummary.PathFor(Paths)).Tasks).Outputs);
    }

    [Fact]
    public async Task Tasks_finishing_at_the_same_time_all_keep_their_entries()
    {
        using var log = Require.Log();
        var names = StageCatalog.Stages.Select(s => s.Name).ToArray();

        await Task.WhenAll(names.Select(n => Task.Run(() => RunSummary.RecordAsync(Context(log), n, () => Task.FromResult(0)))));

        Assert.Equal(names, RunSummary.Read(RunSummary.PathFor(Paths)).Tasks.Select(t => t.Task));
    }

    [Fact]
    public async Task The_file_is_camelCase_JSON_with_a_schema()
    {
        using var log = Require.Log();
        await RunSummary.RecordAsync(Context(log), "Stubs", () => Task.FromResult(0));

        using var json = JsonDocument.Parse(File.ReadAllText(RunSummary.PathFor(Paths)));
        var task = json.RootElement.GetProperty("tasks")[0];

        Assert.Equal(1, json.RootElement.GetProperty("schema").GetInt32());
        Assert.Equal(
            ["task", "status", "start", "durationSeconds", "exitCode", "outputs"],
            task.EnumerateObject().Select(p => p.Name));
    }

    public void Dispose() => _root.Dispose();
}
