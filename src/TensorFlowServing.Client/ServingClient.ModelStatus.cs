#if SERVING_MODEL_STATUS
using System.Diagnostics;
using Grpc.Core;
using Tensorflow.Serving;

namespace TensorFlowServing.Client;

// Present when protos/ kept ModelService.GetModelStatus (--keep-rpc=Predict,GetModelStatus).
public sealed partial class ServingClient
{
    private ModelService.ModelServiceClient? _modelStub;

    /// <summary>The generated ModelService stub, on the same channel as <see cref="Stub"/>.</summary>
    public ModelService.ModelServiceClient ModelStub => _modelStub ??= new ModelService.ModelServiceClient(_channel);

    /// <summary>
    /// Asks ModelService.GetModelStatus about a model: every version the server knows (or only
    /// <paramref name="version"/>), each with its state (LOADING, AVAILABLE, ...). A model or version the server
    /// does not know comes back as an <see cref="RpcException"/> with NOT_FOUND.
    /// </summary>
    public async Task<GetModelStatusResponse> GetModelStatusAsync(string modelName, long? version = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        var spec = new ModelSpec { Name = modelName };
        if (version is { } v)
        {
            spec.Version = v;
        }

        var deadline = DateTime.UtcNow + (timeout ?? _defaultTimeout);
        return await CallAsync(
            static (client, request, deadline, cancellationToken) => client.ModelStub.GetModelStatusAsync(request, deadline: deadline, cancellationToken: cancellationToken),
            new GetModelStatusRequest { ModelSpec = spec },
            deadline,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until the model (the given version, or else any version) is AVAILABLE, as a readiness probe
    /// would, and returns that version's status (the highest one when several are). A server not yet
    /// listening (UNAVAILABLE) or not yet knowing the model (NOT_FOUND) is asked again; a version that ended
    /// with an error throws <see cref="InvalidOperationException"/> with the server's message; past
    /// <paramref name="timeout"/>, <see cref="TimeoutException"/> names the last state seen.
    /// </summary>
    public async Task<ModelVersionStatus> WaitForModelAsync(string modelName, long? version, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        var clock = Stopwatch.StartNew();
        var what = version is { } wanted ? $"version {wanted} of model '{modelName}'" : $"model '{modelName}'";
        var last = "no answer yet";
        var pause = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var left = timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"{what} was not AVAILABLE on {Address} within {timeout.TotalSeconds:0.#}s (last: {last})");
            }

            try
            {
                var response = await GetModelStatusAsync(modelName, version, left < TimeSpan.FromSeconds(5) ? left : TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                var available = response.ModelVersionStatus
                    .Where(s => s.State == ModelVersionStatus.Types.State.Available && (version is null || s.Version == version))
                    .MaxBy(s => s.Version);
                if (available is not null)
                {
                    return available;
                }

                var failed = response.ModelVersionStatus.FirstOrDefault(s => s.State == ModelVersionStatus.Types.State.End && s.Status is { ErrorCode: not Tensorflow.Error.Code.Ok });
                if (failed is not null)
                {
                    throw new InvalidOperationException($"version {failed.Version} of model '{modelName}' on {Address} failed to load: {failed.Status.ErrorCode}: {failed.Status.ErrorMessage}");
                }

                last = response.ModelVersionStatus.Count == 0
                    ? "no versions"
                    : string.Join(", ", response.ModelVersionStatus.Select(s => $"version {s.Version} {s.State.ToString().ToUpperInvariant()}"));
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.NotFound or StatusCode.DeadlineExceeded && !cancellationToken.IsCancellationRequested)
            {
                last = string.IsNullOrEmpty(ex.Status.Detail) ? ex.StatusCode.ToString() : $"{ex.StatusCode}: {ex.Status.Detail}";
            }

            var sleep = pause < timeout - clock.Elapsed ? pause : timeout - clock.Elapsed;
            if (sleep > TimeSpan.Zero)
            {
                await Task.Delay(sleep, cancellationToken).ConfigureAwait(false);
            }

            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 1000));
        }
    }
}
#endif
