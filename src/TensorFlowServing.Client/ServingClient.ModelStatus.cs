#if SERVING_MODEL_STATUS
using System.Diagnostics;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Polly;
using Tensorflow.Serving;

namespace TensorFlowServing.Client;

// Present when protos/ kept ModelService.GetModelStatus (--keep-rpc=Predict,GetModelStatus).
public sealed partial class ServingClient
{
    /// <summary>The longest one GetModelStatus call of <see cref="WaitForModelAsync"/> may take.</summary>
    private static readonly TimeSpan MaxStatusCall = TimeSpan.FromSeconds(5);

    private const string NoAnswer = "no answer yet";

    private ModelService.ModelServiceClient? _modelStub;

    /// <summary>The generated ModelService stub, on the same channel as <see cref="Stub"/>.</summary>
    public ModelService.ModelServiceClient ModelStub => _modelStub ??= new ModelService.ModelServiceClient(_channel);

    /// <summary>
    /// Asks ModelService.GetModelStatus about a model: every version the server knows (or only
    /// <paramref name="version"/>), each with its state (LOADING, AVAILABLE, ...). A model or version the server
    /// does not know comes back as an <see cref="RpcException"/> with NOT_FOUND.
    /// </summary>
    public Task<GetModelStatusResponse> GetModelStatusAsync(string modelName, long? version = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        return StatusAsync(modelName, version, timeout ?? _defaultTimeout, _retry, cancellationToken);
    }

    private Task<GetModelStatusResponse> StatusAsync(string modelName, long? version, TimeSpan timeout, ResiliencePipeline? retry, CancellationToken cancellationToken)
    {
        var spec = new ModelSpec { Name = modelName };
        if (version is { } v)
        {
            spec.Version = v;
        }

        return CallAsync(
            static (client, request, deadline, cancellationToken) => client.ModelStub.GetModelStatusAsync(request, deadline: deadline, cancellationToken: cancellationToken),
            new GetModelStatusRequest { ModelSpec = spec },
            DateTime.UtcNow + timeout,
            retry,
            cancellationToken);
    }

    /// <summary>
    /// Waits until the model (the given version, or else any version) is AVAILABLE, as a readiness probe
    /// would, and returns that version's status (the highest one when several are). A server not yet
    /// listening (UNAVAILABLE), not yet knowing the model (NOT_FOUND), too slow to answer one call
    /// (DEADLINE_EXCEEDED) or still loading is asked again, with a growing pause up to 1 s. When the newest
    /// version (or the requested one) ended with an error, throws <see cref="InvalidOperationException"/> with the
    /// server's error code and message; other RPC errors (UNIMPLEMENTED, ...) come back as <see cref="RpcException"/>.
    /// Past <paramref name="timeout"/> (<see cref="Timeout.InfiniteTimeSpan"/>: no limit), throws
    /// <see cref="TimeoutException"/> naming the last state seen; no call outlives the timeout. Cancelling
    /// <paramref name="cancellationToken"/> throws <see cref="OperationCanceledException"/>, also mid-call.
    /// </summary>
    public async Task<ModelVersionStatus> WaitForModelAsync(string modelName, long? version, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "the wait needs a positive timeout, or Timeout.InfiniteTimeSpan to wait until the token is cancelled");
        }

        var limit = timeout == Timeout.InfiniteTimeSpan ? TimeSpan.MaxValue : timeout;
        var clock = Stopwatch.StartNew();
        var what = version is { } wanted ? $"version {wanted} of model '{modelName}'" : $"model '{modelName}'";
        var last = NoAnswer;
        var pause = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var left = limit - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"{what} was not AVAILABLE on {Address} within {timeout.TotalSeconds:0.#}s (last: {last})");
            }

            // Each call's deadline ends with the wait: a server that accepts and never answers cannot stretch it.
            var callTimeout = left < MaxStatusCall ? left : MaxStatusCall;
            try
            {
                // One attempt per round: this loop is the retry, with its own pauses and the last state for its message.
                var response = await StatusAsync(modelName, version, callTimeout, retry: null, cancellationToken).ConfigureAwait(false);

                // A server answers a request for one version with that version only; filter anyway, so another
                // version's state can neither satisfy nor fail the wait.
                var listed = response.ModelVersionStatus.Where(s => version is null || s.Version == version).ToList();
                var available = listed.Where(s => s.State == ModelVersionStatus.Types.State.Available).MaxBy(s => s.Version);
                if (available is not null)
                {
                    return available;
                }

                // Only the newest version decides a failure: an older one that failed while a newer one loads is history.
                var newest = listed.MaxBy(s => s.Version);
                if (newest is { State: ModelVersionStatus.Types.State.End, Status: { ErrorCode: not Tensorflow.Error.Code.Ok } failure })
                {
                    throw new InvalidOperationException($"version {newest.Version} of model '{modelName}' on {Address} failed to load: {ProtoName(failure.ErrorCode)}: {failure.ErrorMessage}");
                }

                last = listed.Count == 0
                    ? "no versions"
                    : string.Join(", ", listed.Select(s => $"version {s.Version} {ProtoName(s.State)}"));
            }
            catch (RpcException ex) when (cancellationToken.IsCancellationRequested)
            {
                // Grpc.Net.Client reports a call cancelled by the token as RpcException(Cancelled); a cancelled wait
                // is an OperationCanceledException, whether it was cancelled between calls or during one.
                throw new OperationCanceledException($"waiting for {what} on {Address} was cancelled (last: {last})", ex, cancellationToken);
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.DeadlineExceeded && callTimeout < MaxStatusCall && last != NoAnswer)
            {
                // The wait's own end cut this call short: the TimeoutException names the last state the server gave.
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.NotFound or StatusCode.DeadlineExceeded)
            {
                last = string.IsNullOrEmpty(ex.Status.Detail) ? ex.StatusCode.ToString() : $"{ex.StatusCode}: {ex.Status.Detail}";
            }

            var remaining = limit - clock.Elapsed;
            var sleep = pause < remaining ? pause : remaining;
            if (sleep > TimeSpan.Zero)
            {
                await Task.Delay(sleep, cancellationToken).ConfigureAwait(false);
            }

            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 1000));
        }
    }

    /// <summary>An enum value by its proto name (LOADING, FAILED_PRECONDITION), as the server and its logs spell it.</summary>
    private static string ProtoName<T>(T value)
        where T : struct, Enum =>
        typeof(T).GetField(value.ToString())?.GetCustomAttributes(typeof(OriginalNameAttribute), false).OfType<OriginalNameAttribute>().FirstOrDefault()?.Name
        ?? value.ToString();
}
#endif
