using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Stubs;

namespace ServingBuild.Verify;

/// <summary>
/// Proves the generated client works against the server the build produced: starts
/// bazel-bin/tensorflow_serving/model_servers/tensorflow_model_server with half_plus_two on a free port (or,
/// with --server, uses a running server and starts nothing), runs the verifier program (built by the Stubs
/// stage on the current stubs) against it, and reports each check, latency and throughput on the console and
/// in artifacts/verify-report.json. The server is always stopped (SIGINT, then a kill), also on failure and
/// Ctrl-C.
/// </summary>
public sealed class VerifyStage : IStage
{
    public const string BinaryRelative = "bazel-bin/tensorflow_serving/model_servers/tensorflow_model_server";
    public const string ModelRelative = "tensorflow_serving/servables/tensorflow/testdata/saved_model_half_plus_two_cpu";

    /// <summary>How long Predict may answer UNAVAILABLE or NOT_FOUND after the start.</summary>
    internal TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The load the report measures; tests make it smaller.</summary>
    internal int LatencyCalls { get; init; } = 1000;

    internal double ThroughputSeconds { get; init; } = 3;

    /// <summary>Chooses the server's port; tests hand out a taken one.</summary>
    internal Func<int> PickPort { get; init; } = FreePort.Pick;

    internal int PortAttempts { get; init; } = 3;

    /// <summary>Where the report goes; null: artifacts/verify-report.json. Tests running side by side each take their own.</summary>
    internal string? ReportPath { get; init; }

    /// <summary>Where the JUnit XML goes; null: artifacts/test-results/verify.xml, or beside <see cref="ReportPath"/> when that is set.</summary>
    internal string? JUnitPath { get; init; }

    public async Task<int> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        // The binary first: a wrong one is refused in one line before anything is started or written.
        var binary = context.Options.Server is null ? await ServerBinaryCheck.RunAsync(context, cancellationToken) : null;

        // The verifier calls through the generated client; the task graph runs Stubs first (Verify depends on it),
        // so only a run with --exclusive, or a Clean in between, finds it missing.
        var verifier = StubsStage.VerifierDll(context.Paths);
        if (!File.Exists(verifier))
        {
            throw new ToolkitException($"the verifier {verifier} is not built; run ./build.sh --target=Verify without --exclusive (it runs Stubs first) or ./build.sh --target=Stubs", ExitCodes.Prerequisite);
        }

        var reportPath = ReportPath ?? Path.Combine(context.Paths.Artifacts, "verify-report.json");
        VerifyReport report;
        if (context.Options.Server is { } server)
        {
            context.Log.Info($"Verify: checking the running server {server} (starting nothing)");
            report = await RunVerifierAsync(context, server, cancellationToken)
                ?? throw new ToolkitException($"the verifier wrote no report for {server}; see {context.Log.LogPath ?? "the log"}");
        }
        else
        {
            report = await StartAndVerifyAsync(context, binary!, reportPath, cancellationToken);
        }

        report.WriteTo(reportPath);
        VerifyJUnitReport.Write(report, JUnitPath ?? VerifyJUnitReport.PathFor(context.Paths, ReportPath));
        Print(context, report, reportPath);
        if (!report.Ready)
        {
            var fix = report.Binary is null
                ? $"check that a model server is listening at {report.Server} and serves '{report.Model}'"
                : $"check that the model '{report.Model}' loads (the server's last lines are above; all of them in {context.Log.LogPath ?? "the task log"})";
            throw new ModelServerNotReadyException(
                $"{report.Server} did not become ready within {ReadyTimeout.TotalSeconds:0}s ({report.NotReadyReason}); {fix}");
        }

        if (!report.Passed)
        {
            var failed = report.Checks.Where(c => !c.Passed).Select(c => $"{c.Name} ({c.Detail})");
            throw new VerifyChecksFailedException($"{report.Server} failed {string.Join("; ", failed)}; see {reportPath}");
        }

        return ExitCodes.Ok;
    }

    private async Task<VerifyReport> StartAndVerifyAsync(StageContext context, string binary, string reportPath, CancellationToken cancellationToken)
    {
        var tree = context.Options.ServingDir;

        var model = context.Options.ModelBasePath ?? Path.Combine(tree, ModelRelative);
        if (!Directory.Exists(model))
        {
            throw new ToolkitException($"{model} does not exist; the serving tree {tree} lacks the half_plus_two test model (use a complete checkout, or pass --server=host:port)");
        }

        for (var attempt = 1; ; attempt++)
        {
            var port = PickPort();
            var spec = new ProcessSpec(binary, $"--port={port}", $"--model_name={context.Options.ModelName}", $"--model_base_path={model}")
            {
                WorkingDirectory = tree,
                Timeout = null, // stopped by this stage, not by a clock
                CaptureOutput = false,
                GracePeriod = TimeSpan.FromSeconds(10),
                DieWithParent = true,
                PidFolder = context.Paths.ChildPids,
            };
            context.Log.Info($"Verify: starting {binary} on port {port}");
            var process = context.Runner.Start(spec, line => context.Log.Detail("  server: " + line), cancellationToken);
            ProcessResult? stopped = null;
            try
            {
                using var verifierStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var verifier = RunVerifierAsync(context, $"127.0.0.1:{port}", verifierStop.Token);
                var first = await Task.WhenAny(process.Completion, verifier);
                if (first == verifier)
                {
                    var report = await verifier ?? throw new ToolkitException($"the verifier wrote no report; see {context.Log.LogPath ?? "the log"}");
                    stopped = await process.StopAsync();
                    if (!report.Ready)
                    {
                        PrintTail(context, stopped);
                    }

                    return report with { Binary = binary };
                }

                // The server ended before the checks did: stop the verifier, then say why.
                await verifierStop.CancelAsync();
                try
                {
                    await verifier;
                }
                catch (OperationCanceledException)
                {
                }

                stopped = await process.StopAsync();
                cancellationToken.ThrowIfCancellationRequested();
                if (IsTaken(port))
                {
                    if (attempt < PortAttempts)
                    {
                        context.Log.Warn($"port {port} was taken by another process before the server could listen; trying another port");
                        continue;
                    }

                    throw new ServerPortTakenException($"port {port} was taken by another process before {binary} could listen ({attempt} ports tried); free ports on this host, or start the server yourself and pass --server=host:port");
                }

                PrintTail(context, stopped);
                var last = stopped.Tail.LastOrDefault(l => !string.IsNullOrWhiteSpace(l))?.Trim() ?? "no output";
                new VerifyReport { Server = $"127.0.0.1:{port}", Model = context.Options.ModelName, Binary = binary, NotReadyReason = $"exited with code {stopped.ExitCode}" }.WriteTo(reportPath);
                throw new ModelServerExitedException($"{binary} exited with code {stopped.ExitCode} at start: {last}; run it by hand with --port={port} --model_name={context.Options.ModelName} --model_base_path={model} to see why");
            }
            finally
            {
                // Always: on success, failed checks, exceptions and Ctrl-C (SIGINT first, then a kill).
                if (stopped is null)
                {
                    await process.StopAsync();
                }
            }
        }
    }

    private async Task<VerifyReport?> RunVerifierAsync(StageContext context, string server, CancellationToken cancellationToken)
    {
        var dll = StubsStage.VerifierDll(context.Paths);
        // Named as a toolkit temporary: a report left by a killed run is removed by the next one.
        var scratch = Files.AtomicFile.TemporaryPath(Path.Combine(context.Paths.Artifacts, "verify", "report.json"));
        Files.AtomicFile.EnsureFolder(Path.GetDirectoryName(scratch)!);
        Files.AtomicFile.RemoveStaleTemporaries(Path.GetDirectoryName(scratch)!);
        var spec = new ProcessSpec("dotnet", [dll, $"--server={server}", $"--model-name={context.Options.ModelName}", $"--report={scratch}",
            $"--ready-timeout={ReadyTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            $"--latency-calls={LatencyCalls}", "--callers=16",
            $"--throughput-seconds={ThroughputSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}", .. ModelArguments(context.Options)])
        {
            WorkingDirectory = context.Paths.Root,
            Timeout = ReadyTimeout + TimeSpan.FromMinutes(5),
            DieWithParent = true,
            PidFolder = context.Paths.ChildPids,
        };
        try
        {
            // Its lines go to the log; the console gets the summary below once it is done.
            context.Log.Info($"Verify: waiting for the model on {server} (GetModelStatus AVAILABLE when the client has it, else Predict answering; up to {ReadyTimeout.TotalSeconds:0}s), then checks and load");
            var result = await context.Runner.RunAsync(spec, line => context.Log.Detail("  verifier: " + line), cancellationToken);
            if (!File.Exists(scratch))
            {
                var last = result.Tail.LastOrDefault(l => !string.IsNullOrWhiteSpace(l))?.Trim() ?? "no output";
                if (result.ExitCode == ExitCodes.Usage && last.StartsWith("error: --", StringComparison.Ordinal))
                {
                    // A --request/--expect file it cannot use: its one line is the message.
                    throw new ToolkitException(last["error: ".Length..], ExitCodes.Usage);
                }

                throw new ToolkitException($"the verifier ({dll}) exited with code {result.ExitCode} without a report: {last}");
            }

            return VerifyReport.ReadFrom(scratch);
        }
        catch (JsonException ex)
        {
            throw new ToolkitException($"the verifier's report {scratch} is not valid JSON ({ex.Message}); rebuild with ./build.sh --target=Stubs");
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    /// <summary>The user's model settings, passed through to the verifier as they were given.</summary>
    private static IEnumerable<string> ModelArguments(Options.BuildOptions options)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        if (options.ModelVersion is { } version) yield return $"--model-version={version.ToString(invariant)}";
        if (options.SignatureName is { } signature) yield return $"--signature-name={signature}";
        if (options.RequestFile is { } request) yield return $"--request={request}";
        if (options.ExpectFile is { } expect) yield return $"--expect={expect}";
        yield return $"--tolerance={options.Tolerance.ToString("R", invariant)}";
    }

    private static void Print(StageContext context, VerifyReport report, string reportPath)
    {
        context.Log.Info($"Verify: server {report.Server}" + (report.Binary is null ? " (already running)" : $", binary {report.Binary}"));
        context.Log.Info(report.ModelStatus is { } status
            ? $"  model     {status.Name} version {status.Version} {status.State} (ModelService.GetModelStatus)"
            : $"  model     {report.Model}: status not checked; {report.ModelStatusNote ?? "the server did not answer GetModelStatus"}");
        foreach (var c in report.Checks)
        {
            context.Log.Info($"  {(c.Passed ? "PASS" : "FAIL")}  {c.Name}: {c.Detail}");
        }

        if (report.Latency is { } l)
        {
            context.Log.Info($"  latency   p50 {l.P50Ms:0.000} ms, p99 {l.P99Ms:0.000} ms over {l.Calls} sequential Predicts");
        }

        if (report.Throughput is { } t)
        {
            context.Log.Info($"  throughput {t.CallsPerSecond:0} Predicts/s with {t.Callers} concurrent callers ({t.Calls} in {t.Seconds:0.0}s, {t.Errors} errors)");
            if (t.CpuMicrosecondsPerCall is { } cpu && t.AllocatedBytesPerCall is { } allocated)
            {
                context.Log.Info($"  client    {cpu:0.0} us CPU and {allocated / 1024:0.0} KiB allocated per call under that load");
            }
        }

        context.Log.Info($"  report    {reportPath}");
    }

    private static void PrintTail(StageContext context, ProcessResult result)
    {
        context.Log.Info("  last lines of the server's log:");
        foreach (var line in result.Tail.TakeLast(20))
        {
            context.Log.Info("  | " + line);
        }
    }

    internal static bool IsTaken(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
