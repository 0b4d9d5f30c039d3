using System.Text.RegularExpressions;
using ServingBuild.Processes;
using ServingBuild.Stubs;
using ServingBuild.Tasks;
using ServingBuild.Tests.BazelBuild;
using ServingBuild.Tests.Stubs;
using ServingBuild.Tests.Support;
using ServingBuild.Verify;

namespace ServingBuild.Tests.Verify;

/// <summary>
/// Verify with a user's own model against the Bazel-built miniature server: its own signature, input and
/// output names in version folder 7, a --request and an --expect file; a wrong expectation; a request naming
/// an input or signature the model lacks; request files that are not JSON or not a PredictRequest; model
/// status through GetModelStatus when the client has it, and the hint when it does not.
/// </summary>
[Collection(BazelCollection.Name)]
[Trait("Category", "Integration")]
public sealed partial class VerifyUserModelTests(MiniServerBuild mini, ToolkitCopy plain, ModelStatusToolkitCopy withStatus, ITestOutputHelper output)
    : IClassFixture<ToolkitCopy>, IClassFixture<ModelStatusToolkitCopy>, IDisposable
{
    private const string Request = """
        {"model_spec": {"signature_name": "scale"},
         "inputs": {"celsius": {"dtype": "DT_FLOAT", "tensor_shape": {"dim": [{"size": "3"}]}, "float_val": [0, 100, -40]}}}
        """;

    private const string Expected = """{"outputs": {"fahrenheit": {"dtype": "DT_FLOAT", "tensor_shape": {"dim": [{"size": "3"}]}, "float_val": [32, 212, -40]}}}""";

    private readonly TempDir _scratch = new("verify-user-model");

    private string Models
    {
        get
        {
            var path = _scratch.Combine("models", "thermo");
            if (!Directory.Exists(path))
            {
                ModelStatusServerTests.WriteModel(path, 7, "thermo.model", 1.8f, 32f);
            }

            return path;
        }
    }

    private async Task<(int Exit, string Console, ToolkitException? Error)> VerifyAsync(Func<TaskLog, string[], StageContext> context, params string[] args) =>
        await VerifyAsync(new VerifyStage { LatencyCalls = 50, ThroughputSeconds = 0.3, ReportPath = _scratch.Combine($"report-{Guid.NewGuid():N}.json") }, context, args);

    private async Task<(int Exit, string Console, ToolkitException? Error)> VerifyAsync(VerifyStage stage, Func<TaskLog, string[], StageContext> context, params string[] args)
    {
        var console = new StringWriter();
        using var log = new TaskLog(null, console);
        try
        {
            var exit = await stage.RunAsync(context(log, ["--serving-dir=" + mini.ServingDir, "--model-name=thermo", "--model-base-path=" + Models, .. args]), CancellationToken.None);
            output.WriteLine(console.ToString());
            return (exit, console.ToString(), null);
        }
        catch (ToolkitException ex)
        {
            output.WriteLine(console.ToString());
            output.WriteLine("error: " + ex.Message);
            return (ex.ExitCode, console.ToString(), ex);
        }
    }

    [Fact]
    public async Task A_users_model_in_version_7_passes_its_request_and_expectation_and_GetModelStatus_reports_it_AVAILABLE()
    {
        var (exit, console, error) = await VerifyAsync(withStatus.Context,
            "--request=" + _scratch.Write("request.json", Request), "--expect=" + _scratch.Write("expect.json", Expected), "--model-version=7");

        Assert.Null(error);
        Assert.Equal(0, exit);
        Assert.Contains("  model     thermo version 7 AVAILABLE (ModelService.GetModelStatus)", console);
        Assert.Contains("PASS  predict_request: request.json (inputs celsius) answered fahrenheit as expect.json expects", console);
        Assert.Contains("PASS  model_status_available: thermo: version 7 AVAILABLE", console);
        Assert.Contains("PASS  wrong_input_key_is_invalid_argument", console);
        Assert.Contains("over 50 sequential Predicts", console);
        var surface = ClientSurface.Read(StubsStage.ClientDll(withStatus.Paths));
        Assert.Equal(["GetModelStatus", "Predict"], surface.Rpcs.Order(StringComparer.Ordinal));
        Assert.Contains("WaitForModelAsync", surface.HelperNames);
        surface.Check(["Predict", "GetModelStatus"]);
    }

    [Fact]
    public async Task A_wrong_expectation_fails_with_exit_1_naming_the_output_the_index_and_both_values_and_the_plain_client_says_how_to_get_status()
    {
        var wrong = Expected.Replace("212", "213", StringComparison.Ordinal);
        var (exit, console, error) = await VerifyAsync(plain.Context,
            "--request=" + _scratch.Write("request.json", Request), "--expect=" + _scratch.Write("wrong.json", wrong));

        Assert.Equal(ExitCodes.StageFailed, exit);
        Assert.IsType<VerifyChecksFailedException>(error);
        Assert.DoesNotContain('\n', error!.Message);
        Assert.Contains("output 'fahrenheit'[1] is 212, expected 213 (relative tolerance 1E-06)", error.Message);
        Assert.Contains("  model     thermo: status not checked; the client has no GetModelStatus; add it with --keep-rpc=Predict,GetModelStatus", console);

        // The same answer within a looser tolerance passes.
        var loose = await VerifyAsync(plain.Context,
            "--request=" + _scratch.Combine("request.json"), "--expect=" + _scratch.Combine("wrong.json"), "--tolerance=0.01");
        Assert.Equal(0, loose.Exit);
    }

    [Theory]
    [InlineData("\"celsius\":", "\"kelvin\":", "input tensor alias not found in signature: kelvin. Inputs expected to be in the set {celsius}.")]
    [InlineData("\"scale\"", "\"no_such_signature\"", "Serving signature key \"no_such_signature\" not found.")]
    public async Task A_request_naming_an_input_or_signature_the_model_lacks_fails_in_one_line_with_the_servers_error(string from, string to, string serverSays)
    {
        var (exit, _, error) = await VerifyAsync(plain.Context, "--request=" + _scratch.Write("bad-names.json", Request.Replace(from, to, StringComparison.Ordinal)));

        Assert.Equal(ExitCodes.StageFailed, exit);
        Assert.IsType<VerifyChecksFailedException>(error);
        Assert.DoesNotContain('\n', error!.Message);
        Assert.Contains($"predict_request (bad-names.json (inputs {(from == "\"celsius\":" ? "kelvin" : "celsius")}) failed: InvalidArgument: {serverSays})", error.Message);
    }

    [Theory]
    [InlineData("not json {", "not JSON (")]
    [InlineData("{\"inputz\": {\"x\": {}}}", "JSON, but not a PredictRequest (Unknown field: inputz)")]
    [InlineData("[1, 2]", "JSON, but not a PredictRequest (")]
    public async Task A_request_file_that_is_not_JSON_or_not_a_PredictRequest_stops_with_exit_2_in_one_line(string text, string says)
    {
        var file = _scratch.Write("request.json", text);

        var (exit, _, error) = await VerifyAsync(plain.Context, "--request=" + file);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.NotNull(error);
        Assert.DoesNotContain('\n', error!.Message);
        Assert.StartsWith($"--request={file}: {says}", error.Message);
    }

    /// <summary>Starts the mini server on a free port with a slow load, for --server runs.</summary>
    private async Task<(RunningProcess Process, string Server)> StartSlowServerAsync(double loadDelaySeconds)
    {
        var ready = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new ProcessRunner(Require.Log(output)).Start(
            new ProcessSpec(mini.BinaryPath, "--port=0", "--model_name=thermo", $"--model_base_path={Models}",
                $"--load_delay={loadDelaySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}") { Timeout = TimeSpan.FromMinutes(5) },
            line =>
            {
                if (ReadyLine().Match(line) is { Success: true } m)
                {
                    ready.TrySetResult(int.Parse(m.Groups[1].Value));
                }
            });
        _ = process.Completion.ContinueWith(_ => ready.TrySetException(new InvalidOperationException("server exited before it was ready")), TaskScheduler.Default);
        return (process, $"127.0.0.1:{await ready.Task.WaitAsync(TimeSpan.FromSeconds(30))}");
    }

    [Fact]
    public async Task WaitForModelAsync_waits_through_LOADING_until_the_running_server_reports_AVAILABLE()
    {
        // Long enough that the verifier (a process that JITs up front) starts well before the load ends.
        var (server, address) = await StartSlowServerAsync(10);
        try
        {
            var stage = new VerifyStage { LatencyCalls = 50, ThroughputSeconds = 0.3, ReportPath = _scratch.Combine("slow.json") };
            var (exit, console, error) = await VerifyAsync(stage, withStatus.Context, "--server=" + address,
                "--request=" + _scratch.Write("request.json", Request), "--expect=" + _scratch.Write("expect.json", Expected));

            Assert.Null(error);
            Assert.Equal(0, exit);
            Assert.Contains("  model     thermo version 7 AVAILABLE (ModelService.GetModelStatus)", console);
            var report = VerifyReport.ReadFrom(stage.ReportPath!);
            Assert.InRange(report.ReadyAfterSeconds, 1, 60);
        }
        finally
        {
            await server.StopAsync();
        }
    }

    [Fact]
    public async Task A_model_still_LOADING_at_the_ready_timeout_fails_naming_its_last_state()
    {
        var (server, address) = await StartSlowServerAsync(120);
        try
        {
            var stage = new VerifyStage { ReadyTimeout = TimeSpan.FromSeconds(10), ReportPath = _scratch.Combine("loading.json") };
            var (exit, _, error) = await VerifyAsync(stage, withStatus.Context, "--server=" + address);

            Assert.Equal(ExitCodes.StageFailed, exit);
            Assert.IsType<ModelServerNotReadyException>(error);
            Assert.Contains($"model 'thermo' was not AVAILABLE on http://{address}/ within 10s (last: version 7 LOADING)", error!.Message);
        }
        finally
        {
            await server.StopAsync();
        }
    }

    [GeneratedRegex(@"Running gRPC ModelServer at 0\.0\.0\.0:(\d+) \.\.\.")]
    private static partial Regex ReadyLine();

    public void Dispose() => _scratch.Dispose();
}
