using System.Diagnostics;
using Grpc.Core;
using ServingBuild.Verify;
using Tensorflow;
using Tensorflow.Serving;
using TensorFlowServing.Client;

namespace ServingBuild.Verifier;

/// <summary>
/// Calls the server with the generated client as a user would: waits until the model is ready (through
/// ModelService.GetModelStatus when the client has it, else until Predict stops answering UNAVAILABLE or
/// NOT_FOUND), checks the answers (half_plus_two's, or the user's --request against --expect) and error codes,
/// then measures latency and throughput with the same request.
/// </summary>
internal sealed class ServerChecks(VerifierSettings settings, PredictRequest? userRequest = null, PredictResponse? expected = null)
{
    private static readonly float[] X = [1f, 2f, 5f];
    private static readonly float[] Expected = [2.5f, 3f, 4.5f];
    private const float Tolerance = 1e-5f;

    /// <summary>How to get model status into a client built without it.</summary>
    public const string ModelStatusHint = "the client has no GetModelStatus; add it with --keep-rpc=Predict,GetModelStatus, then ./build.sh --target=Protos and --target=Stubs";

    public async Task<VerifyReport> RunAsync(CancellationToken cancellationToken)
    {
        var report = new VerifyReport { Server = settings.Server, Model = settings.ModelName };

        // Readiness polls without gRPC's retries, so each probe is one call and the bound is ours.
        using (var probe = new ServingClient(settings.Server, new ServingClientOptions { MaxAttempts = 1 }))
        {
            var (ready, after, reason, status) = await WaitUntilReadyAsync(probe, cancellationToken);
            Console.WriteLine(ready ? $"ready after {after.TotalSeconds:0.0}s" : $"not ready after {after.TotalSeconds:0.0}s: {reason}");
            report = report with
            {
                Ready = ready,
                ReadyAfterSeconds = Math.Round(after.TotalSeconds, 3),
                NotReadyReason = ready ? null : reason,
                ModelStatus = status,
                ModelStatusNote = status is null ? StatusNote : null,
            };
            if (!ready)
            {
                return report;
            }
        }

        using var client = new ServingClient(settings.Server);
        var checks = new List<VerifyCheck>();
        if (userRequest is null)
        {
            checks.Add(await CheckAnswerAsync(client, "predict_float_val", TensorEncoding.TypedValues, cancellationToken));
            checks.Add(await CheckAnswerAsync(client, "predict_tensor_content", TensorEncoding.Content, cancellationToken));
            checks.Add(await CheckStatusAsync(client, "unknown_model_is_not_found", StatusCode.NotFound,
                new PredictRequestBuilder(settings.ModelName + "_no_such_model").Input("x", Tensor.FromFloats(X, [3])).Build(), cancellationToken));
            checks.Add(await CheckStatusAsync(client, "wrong_input_key_is_invalid_argument", StatusCode.InvalidArgument,
                new PredictRequestBuilder(settings.ModelName).Input("not_x", Tensor.FromFloats(X, [3])).Build(), cancellationToken));
        }
        else
        {
            checks.Add(await CheckUserRequestAsync(client, userRequest, cancellationToken));
            var otherModel = userRequest.Clone();
            otherModel.ModelSpec.Name += "_no_such_model";
            checks.Add(await CheckStatusAsync(client, "unknown_model_is_not_found", StatusCode.NotFound, otherModel, cancellationToken));
            var otherInput = userRequest.Clone();
            var (alias, tensor) = otherInput.Inputs.OrderBy(i => i.Key, StringComparer.Ordinal).First();
            otherInput.Inputs.Remove(alias);
            otherInput.Inputs[alias + "_no_such_input"] = tensor;
            checks.Add(await CheckStatusAsync(client, "wrong_input_key_is_invalid_argument", StatusCode.InvalidArgument, otherInput, cancellationToken));
        }

#if SERVING_MODEL_STATUS
        checks.Add(await CheckModelStatusAsync(client, cancellationToken));
#endif
        foreach (var c in checks)
        {
            Console.WriteLine($"{(c.Passed ? "PASS" : "FAIL")} {c.Name}: {c.Detail}");
        }

        report = report with { Checks = checks };
        if (!checks.All(c => c.Passed))
        {
            return report;
        }

        var latency = await MeasureLatencyAsync(client, cancellationToken);
        Console.WriteLine($"latency over {latency.Calls} sequential calls: p50 {latency.P50Ms:0.000} ms, p99 {latency.P99Ms:0.000} ms");
        var throughput = await MeasureThroughputAsync(client, cancellationToken);
        Console.WriteLine($"throughput with {throughput.Callers} callers: {throughput.CallsPerSecond:0} calls/s ({throughput.Errors} errors)");
        return report with { Latency = latency, Throughput = throughput };
    }

#if SERVING_MODEL_STATUS
    private static string? StatusNote => null;
#else
    private static string? StatusNote => ModelStatusHint;
#endif

    /// <summary>The request the load and readiness use: the user's, or half_plus_two's.</summary>
    private PredictRequest Request(TensorEncoding encoding)
    {
        if (userRequest is not null)
        {
            return userRequest;
        }

        var builder = new PredictRequestBuilder(settings.ModelName)
            .Signature(settings.SignatureName ?? "serving_default")
            .Input("x", Tensor.FromFloats(X, [3], encoding));
        if (settings.ModelVersion is { } version)
        {
            builder.Version(version);
        }

        return builder.Build();
    }

    private async Task<(bool Ready, TimeSpan After, string Reason, ModelStatusSummary? Status)> WaitUntilReadyAsync(ServingClient probe, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
#if SERVING_MODEL_STATUS
        // The readiness probe TensorFlow Serving offers: a version AVAILABLE in ModelService.GetModelStatus.
        try
        {
            var status = await probe.WaitForModelAsync(settings.ModelName, settings.ModelVersion, settings.ReadyTimeout, cancellationToken);
            return (true, clock.Elapsed, "", new ModelStatusSummary(settings.ModelName, status.Version, StateName(status.State)));
        }
        catch (TimeoutException ex)
        {
            return (false, clock.Elapsed, ex.Message, null);
        }
        catch (InvalidOperationException ex)
        {
            return (false, clock.Elapsed, ex.Message, null);
        }
        catch (RpcException ex)
        {
            // A server without ModelService (UNIMPLEMENTED): say so and fall back to Predict.
            Console.WriteLine($"GetModelStatus answered {ex.StatusCode}: {ex.Status.Detail}; waiting for Predict instead");
        }
#endif
        var reason = "no answer yet";
        while (clock.Elapsed < settings.ReadyTimeout)
        {
            try
            {
                await probe.PredictAsync(Request(TensorEncoding.TypedValues), TimeSpan.FromSeconds(5), cancellationToken);
                return (true, clock.Elapsed, "", null);
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.NotFound or StatusCode.DeadlineExceeded)
            {
                reason = $"{ex.StatusCode}: {ex.Status.Detail}";
            }
            catch (RpcException)
            {
                // Any other answer means the model is there; the checks judge whether it is right.
                return (true, clock.Elapsed, "", null);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }

        return (false, clock.Elapsed, reason, null);
    }

#if SERVING_MODEL_STATUS
    private static string StateName(ModelVersionStatus.Types.State state) => state.ToString().ToUpperInvariant();

    private async Task<VerifyCheck> CheckModelStatusAsync(ServingClient client, CancellationToken cancellationToken)
    {
        const string name = "model_status_available";
        try
        {
            var response = await client.GetModelStatusAsync(settings.ModelName, settings.ModelVersion, TimeSpan.FromSeconds(10), cancellationToken);
            var versions = response.ModelVersionStatus.OrderByDescending(s => s.Version).ToList();
            var seen = string.Join(", ", versions.Select(s => $"version {s.Version} {StateName(s.State)}"));
            var ok = versions.Any(s => s.State == ModelVersionStatus.Types.State.Available);
            return new VerifyCheck(name, ok, $"{settings.ModelName}: {(seen.Length > 0 ? seen : "no versions")}" + (ok ? "" : ", expected one AVAILABLE"));
        }
        catch (RpcException ex)
        {
            return new VerifyCheck(name, false, $"GetModelStatus failed: {ex.StatusCode}: {ex.Status.Detail}");
        }
    }
#endif

    private async Task<VerifyCheck> CheckUserRequestAsync(ServingClient client, PredictRequest request, CancellationToken cancellationToken)
    {
        const string name = "predict_request";
        var what = $"{Path.GetFileName(settings.RequestFile)} (inputs {string.Join(", ", request.Inputs.Keys.Order(StringComparer.Ordinal))})";
        try
        {
            var response = await client.PredictAsync(request, TimeSpan.FromSeconds(30), cancellationToken);
            var outputs = string.Join(", ", response.Outputs.Keys.Order(StringComparer.Ordinal));
            if (expected is null)
            {
                return new VerifyCheck(name, true, $"{what} answered outputs {outputs} (no --expect to compare with)");
            }

            var difference = ExpectedOutputs.FirstDifference(expected, response, settings.Tolerance);
            return difference is null
                ? new VerifyCheck(name, true, $"{what} answered {outputs} as {Path.GetFileName(settings.ExpectFile)} expects")
                : new VerifyCheck(name, false, $"{what}: {difference} ({settings.ExpectFile})");
        }
        catch (Exception ex) when (ex is RpcException or TensorMismatchException)
        {
            var message = ex is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : ex.Message;
            return new VerifyCheck(name, false, $"{what} failed: {message}");
        }
    }

    private async Task<VerifyCheck> CheckAnswerAsync(ServingClient client, string name, TensorEncoding encoding, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.PredictAsync(Request(encoding), TimeSpan.FromSeconds(10), cancellationToken);
            if (!response.Outputs.TryGetValue("y", out var y))
            {
                return new VerifyCheck(name, false, $"x=[1, 2, 5]: no output 'y' (got {string.Join(", ", response.Outputs.Keys)})");
            }

            var values = y.ToFloats();
            var ok = values.Length == Expected.Length && values.Zip(Expected).All(p => MathF.Abs(p.First - p.Second) <= Tolerance);
            return new VerifyCheck(name, ok, $"x=[1, 2, 5] gave y=[{string.Join(", ", values)}]" + (ok ? "" : ", expected [2.5, 3, 4.5]"));
        }
        catch (Exception ex) when (ex is RpcException or TensorMismatchException)
        {
            var message = ex is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : ex.Message;
            return new VerifyCheck(name, false, $"x=[1, 2, 5] failed: {message}");
        }
    }

    private static async Task<VerifyCheck> CheckStatusAsync(ServingClient client, string name, StatusCode wanted, PredictRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await client.PredictAsync(request, TimeSpan.FromSeconds(10), cancellationToken);
            return new VerifyCheck(name, false, $"answered OK, expected {wanted}");
        }
        catch (RpcException ex)
        {
            return new VerifyCheck(name, ex.StatusCode == wanted, $"{ex.StatusCode}: {ex.Status.Detail}" + (ex.StatusCode == wanted ? "" : $", expected {wanted}"));
        }
    }

    private async Task<LatencySummary> MeasureLatencyAsync(ServingClient client, CancellationToken cancellationToken)
    {
        var request = Request(TensorEncoding.Content);
        for (var i = 0; i < 50; i++)
        {
            await client.PredictAsync(request, cancellationToken: cancellationToken); // warm-up: JIT, connection
        }

        var samples = new double[settings.LatencyCalls];
        for (var i = 0; i < samples.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await client.PredictAsync(request, cancellationToken: cancellationToken);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(samples);
        double At(double q) => samples[Math.Min(samples.Length - 1, (int)Math.Ceiling(q * samples.Length) - 1)];
        return new LatencySummary(samples.Length, Math.Round(At(0.50), 4), Math.Round(At(0.99), 4), Math.Round(samples[^1], 4));
    }

    private async Task<ThroughputSummary> MeasureThroughputAsync(ServingClient client, CancellationToken cancellationToken)
    {
        var request = Request(TensorEncoding.Content);
        long calls = 0, errors = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var clock = Stopwatch.StartNew();
        stop.CancelAfter(settings.ThroughputTime);
        var callers = Enumerable.Range(0, settings.Callers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    // The wrapper a user calls (one deadline, retries on UNAVAILABLE), so the figures are the client's.
                    await client.PredictAsync(request, TimeSpan.FromSeconds(10));
                    Interlocked.Increment(ref calls);
                }
                catch (RpcException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        await Task.WhenAll(callers);
        cancellationToken.ThrowIfCancellationRequested();
        var seconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        var done = Math.Max(1, calls + errors);
        return new ThroughputSummary(settings.Callers, calls, errors, Math.Round(seconds, 3), Math.Round(calls / seconds, 1))
        {
            CpuMicrosecondsPerCall = Math.Round((process.TotalProcessorTime - cpuBefore).TotalMicroseconds / done, 1),
            AllocatedBytesPerCall = Math.Round((double)(GC.GetTotalAllocatedBytes() - allocatedBefore) / done),
        };
    }
}
