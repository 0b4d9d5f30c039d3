using Grpc.Core;
using Tensorflow.Serving;

namespace TensorFlowServing.Client.Tests;

/// <summary>The client generated from the stripped, Predict-only protos against a server built from the full ones.</summary>
public sealed class InteropTests
{
    [Fact]
    public void The_client_under_test_has_only_Predict()
    {
        var methods = typeof(PredictionService.PredictionServiceClient).GetMethods().Select(m => m.Name).ToHashSet();
        Assert.Contains("PredictAsync", methods);
        Assert.DoesNotContain("Classify", methods);
        Assert.DoesNotContain("GetModelMetadata", methods);
    }

    [Theory]
    [InlineData(TensorEncoding.TypedValues)]
    [InlineData(TensorEncoding.Content)]
    public async Task Stripped_client_gets_half_plus_two_from_the_full_server(TensorEncoding encoding)
    {
        await using var server = await FullProtoServer.StartAsync();
        using var client = new ServingClient(server.Address);

        var response = await client.PredictAsync(new PredictRequestBuilder("half_plus_two")
            .Signature("serving_default")
            .Input("x", Tensor.FromFloats([1f, 2f, 5f], [3], encoding))
            .Output("y")
            .Build());

        Assert.Equal([2.5f, 3f, 4.5f], response.Outputs["y"].ToFloats());
        Assert.Equal([3L], response.Outputs["y"].Shape());
        Assert.Equal("half_plus_two", response.ModelSpec.Name);
        Assert.Equal(123, response.ModelSpec.Version);
    }

    [Fact]
    public async Task Unknown_model_is_NOT_FOUND_and_wrong_input_is_INVALID_ARGUMENT()
    {
        await using var server = await FullProtoServer.StartAsync();
        using var client = new ServingClient(server.Address);

        var missing = await Assert.ThrowsAsync<RpcException>(() => client.PredictAsync(
            new PredictRequestBuilder("no_such_model").Input("x", Tensor.Scalar(1f)).Build()));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);

        var wrong = await Assert.ThrowsAsync<RpcException>(() => client.PredictAsync(
            new PredictRequestBuilder("half_plus_two").Input("not_x", Tensor.Scalar(1f)).Build()));
        Assert.Equal(StatusCode.InvalidArgument, wrong.StatusCode);
    }

    [Fact]
    public async Task Retries_UNAVAILABLE_with_backoff()
    {
        // The server answers UNAVAILABLE twice, then serves: a deterministic count of attempts rather than a race
        // between the client's random backoff and a server's start-up.
        await using var server = await FullProtoServer.StartAsync(fault: "unavailable-twice");
        using var client = new ServingClient(server.Address, new ServingClientOptions
        {
            MaxAttempts = 3,
            InitialBackoff = TimeSpan.FromMilliseconds(10),
        });

        var response = await client.PredictAsync(new PredictRequestBuilder("half_plus_two").Input("x", Tensor.Scalar(2f)).Build(), TimeSpan.FromSeconds(30));

        Assert.Equal([3f], response.Outputs["y"].ToFloats());
        Assert.Equal(3, server.PredictCalls);
    }

    [Fact]
    public async Task Gives_up_after_MaxAttempts_with_UNAVAILABLE()
    {
        await using var server = await FullProtoServer.StartAsync(fault: "unavailable-twice");
        using var client = new ServingClient(server.Address, new ServingClientOptions { MaxAttempts = 2, InitialBackoff = TimeSpan.FromMilliseconds(10) });

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.PredictAsync(new PredictRequestBuilder("half_plus_two").Input("x", Tensor.Scalar(2f)).Build()));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal(2, server.PredictCalls);
    }

    [Fact]
    public async Task Retries_stay_within_the_calls_one_deadline()
    {
        // A server that is never available and attempts enough for minutes of backoff: the caller's deadline
        // bounds the whole call, not each attempt.
        await using var server = await FullProtoServer.StartAsync(fault: "unavailable-always");
        using var client = new ServingClient(server.Address, new ServingClientOptions
        {
            MaxAttempts = 1000,
            InitialBackoff = TimeSpan.FromMilliseconds(50),
            MaxBackoff = TimeSpan.FromMilliseconds(200),
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.PredictAsync(new PredictRequestBuilder("half_plus_two").Input("x", Tensor.Scalar(2f)).Build(), TimeSpan.FromSeconds(3)));

        Assert.True(ex.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Unavailable, ex.ToString());
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.9), TimeSpan.FromSeconds(10));
        Assert.InRange(server.PredictCalls, 2, 100);
    }

    [Fact]
    public async Task A_backoff_longer_than_the_deadline_ends_at_the_deadline()
    {
        await using var server = await FullProtoServer.StartAsync(fault: "unavailable-always");
        using var client = new ServingClient(server.Address, new ServingClientOptions
        {
            MaxAttempts = 5,
            InitialBackoff = TimeSpan.FromSeconds(20),
            MaxBackoff = TimeSpan.FromSeconds(20),
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.PredictAsync(new PredictRequestBuilder("half_plus_two").Input("x", Tensor.Scalar(2f)).Build(), TimeSpan.FromSeconds(3)));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.Contains("overloaded, try again", ex.Status.Detail, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(12), $"took {clock.Elapsed}");
        Assert.Equal(1, server.PredictCalls);
    }

    [Fact]
    public async Task Cancelling_while_waiting_to_retry_ends_the_call_as_CANCELLED()
    {
        await using var server = await FullProtoServer.StartAsync(fault: "unavailable-always");
        using var client = new ServingClient(server.Address, new ServingClientOptions
        {
            MaxAttempts = 5,
            InitialBackoff = TimeSpan.FromSeconds(20),
            MaxBackoff = TimeSpan.FromSeconds(20),
        });
        using var cts = new CancellationTokenSource();
        var call = client.PredictAsync(new PredictRequestBuilder("half_plus_two").Input("x", Tensor.Scalar(2f)).Build(), cancellationToken: cts.Token);

        // Cancel once the first attempt has failed (the client is then waiting 20 s to retry), however long
        // connecting took on this host.
        await Eventually.Until(() => server.PredictCalls >= 1, TimeSpan.FromSeconds(30));

        await Task.Delay(100);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await cts.CancelAsync();
        var ex = await Assert.ThrowsAsync<RpcException>(() => call);

        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(1, server.PredictCalls);
    }

    [Fact]
    public async Task Calls_on_the_stub_itself_are_not_retried()
    {
        await using var server = await FullProtoServer.StartAsync(fault: "unavailable-twice");
        using var client = new ServingClient(server.Address, new ServingClientOptions { MaxAttempts = 5, InitialBackoff = TimeSpan.FromMilliseconds(10) });

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await client.Stub.PredictAsync(new PredictRequestBuilder("half_plus_two").Input("x", Tensor.Scalar(2f)).Build()));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal(1, server.PredictCalls);
    }

    [Fact]
    public async Task Without_retries_a_missing_server_is_UNAVAILABLE()
    {
        using var client = new ServingClient($"127.0.0.1:{ServingBuild.Processes.FreePort.Pick()}", new ServingClientOptions { MaxAttempts = 1 });
        var ex = await Assert.ThrowsAsync<RpcException>(() => client.PredictAsync(new PredictRequestBuilder("m").Input("x", Tensor.Scalar(2f)).Build()));
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    [Fact]
    public async Task A_slow_call_ends_at_its_deadline_or_when_cancelled()
    {
        await using var server = await FullProtoServer.StartAsync(fault: "slow");
        using var client = new ServingClient(server.Address);
        var request = new PredictRequestBuilder("half_plus_two").Input("x", Tensor.Scalar(2f)).Build();

        var late = await Assert.ThrowsAsync<RpcException>(() => client.PredictAsync(request, TimeSpan.FromMilliseconds(200)));
        Assert.Equal(StatusCode.DeadlineExceeded, late.StatusCode);

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var cancelled = await Assert.ThrowsAsync<RpcException>(() => client.PredictAsync(request, cancellationToken: cts.Token));
        Assert.Equal(StatusCode.Cancelled, cancelled.StatusCode);
    }
}
