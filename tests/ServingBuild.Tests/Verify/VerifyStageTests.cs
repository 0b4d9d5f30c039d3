using System.Net;
using System.Net.Sockets;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Stubs;
using ServingBuild.Tests.Support;
using ServingBuild.Verify;

namespace ServingBuild.Tests.Verify;

[Collection(ToolkitCopyCollection.Name)]
[Trait("Category", "Integration")]
public sealed class VerifyStageTests(ToolkitCopy copy, ITestOutputHelper output) : IDisposable
{
    // Each test writes its own report: the Bazel collection's Verify tests run at the same time in the same copy.
    private readonly string _reportPath = Path.Combine(Path.GetTempPath(), $"verify-report-{Guid.NewGuid():N}.json");

    private VerifyStage Stage(Func<int>? pickPort = null) => new()
    {
        ReportPath = _reportPath,
        LatencyCalls = 200,
        ThroughputSeconds = 0.5,
        ReadyTimeout = TimeSpan.FromSeconds(30),
        PickPort = pickPort ?? FreePort.Pick,
    };

    private string ReportPath => _reportPath;

    [Fact]
    public async Task Starts_the_built_server_passes_every_check_reports_and_stops_it()
    {
        using var tree = new FakeServingTree();
        using var log = Require.Log(output);

        // The one test that writes the default artifacts/verify-report.json.
        var stage = new VerifyStage { LatencyCalls = 200, ThroughputSeconds = 0.5 };
        Assert.Equal(0, await stage.RunAsync(copy.Context(log, "--serving-dir=" + tree.Path), CancellationToken.None));

        var report = VerifyReport.ReadFrom(Path.Combine(copy.Paths.Artifacts, "verify-report.json"));
        Assert.Equal(Path.Combine(tree.Path, VerifyStage.BinaryRelative), report.Binary);
        Assert.True(report.Ready);
        Assert.Equal(
            ["predict_float_val", "predict_tensor_content", "unknown_model_is_not_found", "wrong_input_key_is_invalid_argument"],
            report.Checks.Select(c => c.Name));
        Assert.All(report.Checks, c => Assert.True(c.Passed, c.Detail));
        Assert.Equal(200, report.Latency!.Calls);
        Assert.True(report.Latency.P50Ms > 0 && report.Latency.P99Ms >= report.Latency.P50Ms);
        Assert.Equal(16, report.Throughput!.Callers);
        Assert.True(report.Throughput.Calls > 0);
        AssertNoServerLeft(tree, expectedStarts: 1);
    }

    [Fact]
    public async Task A_server_that_exits_at_start_is_reported_with_its_exit_code()
    {
        using var tree = new FakeServingTree("exit-at-start");
        using var log = Require.Log(output);

        var ex = await Assert.ThrowsAsync<ModelServerExitedException>(() => Stage().RunAsync(copy.Context(log, "--serving-dir=" + tree.Path), CancellationToken.None));

        Assert.Contains("exited with code 3 at start: error: refusing to start", ex.Message);
        AssertNoServerLeft(tree, expectedStarts: 1);
    }

    [Fact]
    public async Task A_model_that_answers_wrongly_fails_the_checks_and_the_server_is_stopped()
    {
        using var tree = new FakeServingTree("wrong-answer");
        using var log = Require.Log(output);

        var ex = await Assert.ThrowsAsync<VerifyChecksFailedException>(() => Stage().RunAsync(copy.Context(log, "--serving-dir=" + tree.Path), CancellationToken.None));

        Assert.Contains("predict_float_val (x=[1, 2, 5] gave y=[3.5, 4, 5.5], expected [2.5, 3, 4.5])", ex.Message);
        Assert.Contains("predict_tensor_content", ex.Message);
        var report = VerifyReport.ReadFrom(ReportPath);
        Assert.False(report.Passed);
        Assert.True(report.Checks.Single(c => c.Name == "unknown_model_is_not_found").Passed);
        AssertNoServerLeft(tree, expectedStarts: 1);
    }

    [Fact]
    public async Task A_port_taken_by_another_process_is_detected_and_another_port_is_used()
    {
        using var holder = new TcpListener(IPAddress.Any, 0);
        holder.Start();
        var taken = ((IPEndPoint)holder.LocalEndpoint).Port;
        var ports = new Queue<int>([taken]);
        using var tree = new FakeServingTree();
        var console = new StringWriter();
        using var log = new TaskLog(null, console);

        Assert.Equal(0, await Stage(() => ports.Count > 0 ? ports.Dequeue() : FreePort.Pick()).RunAsync(copy.Context(log, "--serving-dir=" + tree.Path), CancellationToken.None));

        output.WriteLine(console.ToString());
        Assert.Contains($"port {taken} was taken by another process before the server could listen; trying another port", console.ToString());
        AssertNoServerLeft(tree, expectedStarts: 2);
    }

    [Fact]
    public async Task A_port_that_stays_taken_fails_with_the_fix()
    {
        using var holder = new TcpListener(IPAddress.Any, 0);
        holder.Start();
        var taken = ((IPEndPoint)holder.LocalEndpoint).Port;
        using var tree = new FakeServingTree();
        using var log = Require.Log(output);

        var ex = await Assert.ThrowsAsync<ServerPortTakenException>(() => Stage(() => taken).RunAsync(copy.Context(log, "--serving-dir=" + tree.Path), CancellationToken.None));

        Assert.Contains($"port {taken} was taken", ex.Message);
        Assert.Contains("--server=host:port", ex.Message);
        AssertNoServerLeft(tree, expectedStarts: 3);
    }

    [Fact]
    public async Task With_server_it_checks_a_running_server_and_starts_nothing()
    {
        using var tree = new FakeServingTree();
        using var empty = new TempDir("no-binary");
        var port = FreePort.Pick();
        using var serverLog = Require.Log(output);
        var running = new ProcessRunner(serverLog).Start(new ProcessSpec(
            Path.Combine(tree.Path, VerifyStage.BinaryRelative), $"--port={port}", "--model_name=half_plus_two",
            "--model_base_path=" + Path.Combine(tree.Path, VerifyStage.ModelRelative)) { Timeout = TimeSpan.FromMinutes(5) });
        try
        {
            using var log = Require.Log(output);
            Assert.Equal(0, await Stage().RunAsync(copy.Context(log, "--serving-dir=" + empty.Path, $"--server=127.0.0.1:{port}"), CancellationToken.None));

            var report = VerifyReport.ReadFrom(ReportPath);
            Assert.Null(report.Binary);
            Assert.Equal($"127.0.0.1:{port}", report.Server);
            Assert.True(report.Passed);
            Assert.False(running.HasExited);
            Assert.Single(tree.StartedPids); // only the one this test started
        }
        finally
        {
            await running.StopAsync();
        }
    }

    [Fact]
    public async Task With_server_and_nothing_listening_it_fails_naming_the_address()
    {
        var port = FreePort.Pick();
        using var log = Require.Log(output);

        var ex = await Assert.ThrowsAsync<ModelServerNotReadyException>(() =>
            new VerifyStage { ReadyTimeout = TimeSpan.FromSeconds(2), ReportPath = _reportPath }.RunAsync(copy.Context(log, $"--server=127.0.0.1:{port}"), CancellationToken.None));

        Assert.Contains($"127.0.0.1:{port} did not become ready within 2s (Unavailable", ex.Message);
        Assert.Contains($"check that a model server is listening at 127.0.0.1:{port}", ex.Message);
    }

    [Fact]
    public async Task A_server_that_never_becomes_ready_times_out_and_is_stopped()
    {
        using var tree = new FakeServingTree("never-ready");
        var console = new StringWriter();
        using var log = new TaskLog(null, console);

        var ex = await Assert.ThrowsAsync<ModelServerNotReadyException>(() =>
            new VerifyStage { ReadyTimeout = TimeSpan.FromSeconds(3), ReportPath = _reportPath }.RunAsync(copy.Context(log, "--serving-dir=" + tree.Path), CancellationToken.None));

        Assert.Contains("did not become ready within 3s (NotFound: Servable not found", ex.Message);
        Assert.Contains("last lines of the server's log:", console.ToString());
        Assert.Contains("Running gRPC ModelServer at 0.0.0.0:", console.ToString());
        AssertNoServerLeft(tree, expectedStarts: 1);
    }

    [Fact]
    public async Task Ctrl_C_stops_the_server()
    {
        using var tree = new FakeServingTree("never-ready");
        using var log = Require.Log(output);
        using var cts = new CancellationTokenSource();
        var run = new VerifyStage { ReadyTimeout = TimeSpan.FromSeconds(60), ReportPath = _reportPath }.RunAsync(copy.Context(log, "--serving-dir=" + tree.Path), cts.Token);
        for (var i = 0; i < 300 && tree.StartedPids.Count == 0; i++)
        {
            await Task.Delay(50);
        }

        await Task.Delay(1000);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        AssertNoServerLeft(tree, expectedStarts: 1);
    }

    [Fact]
    public async Task A_tree_without_the_built_server_says_to_run_BazelBuild()
    {
        using var empty = new TempDir("no-binary");
        using var log = Require.Log(output);
        var ex = await Assert.ThrowsAsync<ModelServerNotBuiltException>(() => Stage().RunAsync(copy.Context(log, "--serving-dir=" + empty.Path), CancellationToken.None));
        Assert.Contains("./build.sh --target=BazelBuild", ex.Message);
    }

    public void Dispose() => File.Delete(_reportPath);

    private static void AssertNoServerLeft(FakeServingTree tree, int expectedStarts)
    {
        var pids = tree.StartedPids;
        Assert.Equal(expectedStarts, pids.Count);
        Assert.All(pids, pid => Assert.False(FakeServingTree.IsRunning(pid), $"server process {pid} is still running"));
    }
}
