extern alias status;
using System.Diagnostics;
using System.Text.RegularExpressions;
using ServingBuild.Processes;
using ServingBuild.Tests.Support;
using StatusClient = status::TensorFlowServing.Client.ServingClient;
using State = status::Tensorflow.Serving.ModelVersionStatus.Types.State;

namespace ServingBuild.Tests.BazelBuild;

/// <summary>
/// The client's WaitForModelAsync and GetModelStatusAsync (the client as built when protos/ keeps
/// GetModelStatus) against the Bazel-built miniature tensorflow_model_server as a process: through a slow load
/// (--load_delay), past its timeout while the model loads, for a version the server does not have, and for a
/// server that starts after the wait began. The scripted states it cannot produce are pinned in
/// TensorFlowServing.Client.Tests (WaitForModelTests).
/// </summary>
[Collection(BazelCollection.Name)]
[Trait("Category", "Integration")]
public sealed partial class WaitForModelServerTests(MiniServerBuild mini, ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _models = new("servingbuild-waitmodel");

    private string Models
    {
        get
        {
            if (!Directory.Exists(Path.Combine(_models.Path, "7")))
            {
                ModelStatusServerTests.WriteModel(_models.Path, 7, "thermo.model", 1.8f, 32f);
            }

            return _models.Path;
        }
    }

    private RunningProcess Start(out Task<int> port, params string[] args)
    {
        var ready = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new ProcessRunner(Require.Log(output)).Start(
            new ProcessSpec(mini.BinaryPath, args) { Timeout = TimeSpan.FromMinutes(5) },
            line =>
            {
                var m = ReadyLine().Match(line);
                if (m.Success)
                {
                    ready.TrySetResult(int.Parse(m.Groups[1].Value));
                }
            });
        _ = process.Completion.ContinueWith(_ => ready.TrySetException(new InvalidOperationException("server exited before it was ready")), TaskScheduler.Default);
        port = ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return process;
    }

    [Fact]
    public async Task Waits_through_a_slow_load_times_out_naming_LOADING_and_returns_the_version_once_AVAILABLE()
    {
        var server = Start(out var portTask, "--port=0", "--model_name=thermo", $"--model_base_path={Models}", "--load_delay=4");
        try
        {
            using var client = new StatusClient($"127.0.0.1:{await portTask}");

            var loading = await client.GetModelStatusAsync("thermo", timeout: TimeSpan.FromSeconds(5));
            Assert.Equal(["7 Loading"], loading.ModelVersionStatus.Select(s => $"{s.Version} {s.State}"));

            var early = await Assert.ThrowsAsync<TimeoutException>(() => client.WaitForModelAsync("thermo", 7, TimeSpan.FromSeconds(0.5)));
            Assert.EndsWith("within 0.5s (last: version 7 LOADING)", early.Message, StringComparison.Ordinal);

            var ready = await client.WaitForModelAsync("thermo", version: null, TimeSpan.FromSeconds(30));
            Assert.Equal(7, ready.Version);
            Assert.Equal(State.Available, ready.State);

            var missing = await Assert.ThrowsAsync<TimeoutException>(() => client.WaitForModelAsync("thermo", 8, TimeSpan.FromSeconds(1)));
            Assert.StartsWith("version 8 of model 'thermo' was not AVAILABLE on http://127.0.0.1:", missing.Message, StringComparison.Ordinal);
            Assert.Contains("(last: NotFound: ", missing.Message, StringComparison.Ordinal);
        }
        finally
        {
            await server.StopAsync();
        }
    }

    [Fact]
    public async Task Waits_for_a_server_that_starts_after_the_wait_began()
    {
        var port = FreePort.Pick();
        using var client = new StatusClient($"127.0.0.1:{port}");
        var clock = Stopwatch.StartNew();
        var wait = client.WaitForModelAsync("thermo", version: 7, TimeSpan.FromSeconds(60));

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(wait.IsCompleted, $"the wait ended before the server started: {wait.Exception?.InnerException?.Message}");
        var server = Start(out var portTask, $"--port={port}", "--model_name=thermo", $"--model_base_path={Models}", "--load_delay=1");
        try
        {
            Assert.Equal(port, await portTask);
            var ready = await wait;
            Assert.Equal(7, ready.Version);
            Assert.Equal(State.Available, ready.State);
            output.WriteLine($"AVAILABLE after {clock.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            await server.StopAsync();
        }
    }

    public void Dispose() => _models.Dispose();

    [GeneratedRegex(@"Running gRPC ModelServer at 0\.0\.0\.0:(\d+) \.\.\.")]
    private static partial Regex ReadyLine();
}
