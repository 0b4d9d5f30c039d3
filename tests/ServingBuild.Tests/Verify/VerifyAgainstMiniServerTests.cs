using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Stubs;
using ServingBuild.Tests.Support;
using ServingBuild.Verify;

namespace ServingBuild.Tests.Verify;

/// <summary>
/// The whole Verify stage against the real thing: the miniature workspace's tensorflow_model_server, a C++
/// gRPC server built by Bazel from the full protos (MiniServerBuild builds it once per run).
/// </summary>
[Collection(BazelCollection.Name)]
[Trait("Category", "Integration")]
public sealed class VerifyAgainstMiniServerTests(MiniServerBuild mini, ToolkitCopy copy, ITestOutputHelper output) : IClassFixture<ToolkitCopy>
{
    [Fact]
    public async Task The_generated_client_passes_every_check_against_the_Bazel_built_server_which_is_then_stopped()
    {
        var console = new StringWriter();
        using var log = new TaskLog(null, console);
        using var scratch = new TempDir("mini-verify");
        var stage = new VerifyStage { LatencyCalls = 300, ThroughputSeconds = 1, ReportPath = scratch.Combine("verify-report.json") };

        var exit = await stage.RunAsync(copy.Context(log, "--serving-dir=" + mini.ServingDir), CancellationToken.None);

        var text = console.ToString();
        output.WriteLine(text);
        Assert.Equal(0, exit);
        Assert.Contains($"binary {Path.Combine(mini.ServingDir, VerifyStage.BinaryRelative)}", text);
        foreach (var check in new[] { "predict_float_val", "predict_tensor_content", "unknown_model_is_not_found", "wrong_input_key_is_invalid_argument" })
        {
            Assert.Contains($"PASS  {check}:", text);
        }

        Assert.Contains("over 300 sequential Predicts", text);
        Assert.Contains("with 16 concurrent callers", text);
        var report = VerifyReport.ReadFrom(stage.ReportPath!);
        Assert.True(report.Passed);
        Assert.Equal(Path.Combine(mini.ServingDir, VerifyStage.BinaryRelative), report.Binary);
        Assert.Equal(300, report.Latency!.Calls);
        Assert.Empty(RunningServers(mini.BinaryPath));
    }

    [Fact]
    public async Task A_port_taken_before_the_mini_server_starts_is_detected_and_another_is_used()
    {
        using var holder = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Any, 0);
        holder.Start();
        var taken = ((System.Net.IPEndPoint)holder.LocalEndpoint).Port;
        var ports = new Queue<int>([taken]);
        var console = new StringWriter();
        using var log = new TaskLog(null, console);
        using var scratch = new TempDir("mini-verify");
        var stage = new VerifyStage { LatencyCalls = 50, ThroughputSeconds = 0.3, ReportPath = scratch.Combine("verify-report.json"), PickPort = () => ports.Count > 0 ? ports.Dequeue() : FreePort.Pick() };

        Assert.Equal(0, await stage.RunAsync(copy.Context(log, "--serving-dir=" + mini.ServingDir), CancellationToken.None));

        output.WriteLine(console.ToString());
        Assert.Contains($"port {taken} was taken by another process", console.ToString());
        Assert.Empty(RunningServers(mini.BinaryPath));
    }

    /// <summary>Processes whose program is the built server (from /proc: this test starts none itself).</summary>
    private static List<int> RunningServers(string binary)
    {
        var real = new FileInfo(binary).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(binary);
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var exe = new FileInfo(Path.Combine(dir, "exe")).ResolveLinkTarget(returnFinalTarget: false)?.FullName;
                if (exe is not null && (exe == real || exe == binary))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }
}
