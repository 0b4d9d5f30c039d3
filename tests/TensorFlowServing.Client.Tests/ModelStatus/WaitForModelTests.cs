extern alias full;
extern alias status;
using System.Diagnostics;
using Grpc.Core;
using ServingBuild.Processes;
using static TensorFlowServing.Client.Tests.ModelStatus.ModelStatusScript;
using StatusClient = status::TensorFlowServing.Client.ServingClient;
using StatusClientOptions = status::TensorFlowServing.Client.ServingClientOptions;
using ClientState = status::Tensorflow.Serving.ModelVersionStatus.Types.State;
using Code = full::Tensorflow.Error.Code;
using State = full::Tensorflow.Serving.ModelVersionStatus.Types.State;

namespace TensorFlowServing.Client.Tests.ModelStatus;

/// <summary>
/// ServingClient.WaitForModelAsync against a scripted in-process ModelService: which version it returns,
/// which answers it waits through, which it fails on, and that the timeout and the token end it promptly.
/// </summary>
public sealed class WaitForModelTests
{
    // Generous next to the few milliseconds the wait overruns by (on a loaded 2-core machine too), small next to a
    // call that ignored the timeout (WaitForModelAsync allows one call up to 5 s): a bound that catches a hang, not
    // a speed measurement.
    private static readonly TimeSpan Overrun = TimeSpan.FromSeconds(3.5);

    [Fact]
    public async Task Returns_the_highest_AVAILABLE_version_when_several_are_AVAILABLE()
    {
        var service = ScriptedModelService.Steps(Versions((3, State.Available), (7, State.Available), (5, State.Available), (9, State.Loading)));
        await using var server = await ModelStatusServer.StartAsync(service);
        using var client = new StatusClient(server.Address);

        var ready = await client.WaitForModelAsync("m", version: null, TimeSpan.FromSeconds(20));

        Assert.Equal(7, ready.Version);
        Assert.Equal(ClientState.Available, ready.State);
        Assert.Equal(1, service.Calls);
    }

    [Fact]
    public async Task A_requested_version_is_waited_for_while_another_version_is_AVAILABLE()
    {
        // The script lists every version whatever was asked: the client's own filter is what is pinned here.
        var service = ScriptedModelService.Steps(
            Versions((1, State.Available), (2, State.Loading)),
            Versions((1, State.Available), (2, State.Loading), (3, State.Available)),
            Versions((1, State.Available), (2, State.Available), (3, State.Available)));
        await using var server = await ModelStatusServer.StartAsync(service);
        using var client = new StatusClient(server.Address);

        var ready = await client.WaitForModelAsync("m", version: 2, TimeSpan.FromSeconds(20));

        Assert.Equal(2, ready.Version);
        Assert.Equal(ClientState.Available, ready.State);
        Assert.Equal(3, service.Calls);
        Assert.All(service.Received, r => Assert.Equal(2, r.ModelSpec.Version));
    }

    [Fact]
    public async Task Keeps_asking_through_NOT_FOUND_START_and_LOADING_and_returns_once_AVAILABLE()
    {
        var service = ScriptedModelService.Steps(
            NotFound("m"), NotFound("m"), Versions((4, State.Start)), Versions((4, State.Loading)), Versions((4, State.Available)));
        await using var server = await ModelStatusServer.StartAsync(service);
        using var client = new StatusClient(server.Address);

        var ready = await client.WaitForModelAsync("m", version: null, TimeSpan.FromSeconds(20));

        Assert.Equal(4, ready.Version);
        Assert.Equal(5, service.Calls);
        Assert.All(service.Received, r => Assert.Equal("m", r.ModelSpec.Name));
    }

    [Fact]
    public async Task Keeps_asking_while_the_server_is_not_listening_yet_and_returns_once_it_starts()
    {
        var port = FreePort.Pick();
        // No gRPC retries inside a call: each refused connection reaches WaitForModelAsync as UNAVAILABLE.
        using var client = new StatusClient($"http://127.0.0.1:{port}", new StatusClientOptions { MaxAttempts = 1 });
        var clock = Stopwatch.StartNew();
        var wait = client.WaitForModelAsync("m", version: null, TimeSpan.FromSeconds(30));

        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(wait.IsCompleted, $"the wait ended before any server listened: {wait.Exception?.InnerException?.Message}");
        var service = ScriptedModelService.Steps(Versions((1, State.Available)));
        await using var server = await ModelStatusServer.StartAsync(service, port);

        var ready = await wait;
        Assert.Equal(1, ready.Version);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1));
        Assert.Equal(1, service.Calls);
    }

    [Fact]
    public async Task A_version_that_ended_with_an_error_throws_with_the_servers_code_and_message()
    {
        var service = ScriptedModelService.Steps(
            Versions((1, State.Loading)),
            Versions().WithFailed(1, Code.FailedPrecondition, "Could not read 1/model.pb: truncated"));
        await using var server = await ModelStatusServer.StartAsync(service);
        using var client = new StatusClient(server.Address);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.WaitForModelAsync("m", version: null, TimeSpan.FromSeconds(20)));

        Assert.Equal($"version 1 of model 'm' on {server.Address}/ failed to load: FAILED_PRECONDITION: Could not read 1/model.pb: truncated", error.Message);
        Assert.Equal(2, service.Calls);
    }

    [Fact]
    public async Task The_requested_version_ending_with_an_error_throws_though_another_version_is_loading()
    {
        var service = ScriptedModelService.Steps(Versions((6, State.Loading)).WithFailed(5, Code.Internal, "out of memory"));
        await using var server = await ModelStatusServer.StartAsync(service);
        using var client = new StatusClient(server.Address);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => client.WaitForModelAsync("m", version: 5, TimeSpan.FromSeconds(20)));

        Assert.EndsWith("version 5 of model 'm' on " + server.Address + "/ failed to load: INTERNAL: out of memory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_older_version_that_failed_does_not_end_the_wait_while_a_newer_one_loads()
    {
        var service = ScriptedModelService.Steps(
            Versions((2, State.Loading)).WithFailed(1, Code.NotFound, "no model file in 1/"),
            Versions((2, State.Available)).WithFailed(1, Code.NotFound, "no model file in 1/"));
        await using var server = await ModelStatusServer.StartAsync(service);
        using var client = new StatusClient(server.Address);

        var ready = await client.WaitForModelAsync("m", version: null, TimeSpan.FromSeconds(20));

        Assert.Equal(2, ready.Version);
        Assert.Equal(2, service.Calls);
    }

    [Fact]
    public async Task Past_the_timeout_throws_TimeoutException_naming_the_last_state_and_returns_promptly()
    {
        var service = ScriptedModelService.Steps(NotFound("m"), Versions((3, State.Loading)));
        await using var server = await ModelStatusServer.StartAsync(service);
        using var client = new StatusClient(server.Address);
        var timeout = TimeSpan.FromSeconds(1);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => client.WaitForModelAsync("m", version: 3, timeout));

        Assert.Equal($"version 3 of model 'm' was not AVAILABLE on {server.Address}/ within 1s (last: version 3 LOADING)", error.Message);
        Assert.InRange(clock.Elapsed, timeout, timeout + Overrun);
        Assert.InRange(service.Calls, 3, 100);
    }

    [Fact]
    public async Task A_call_the_timeout_cuts_short_leaves_the_last_state_the_server_gave_in_the_message()
    {
        var service = ScriptedModelService.Steps(Versions((3, State.Loading)), ScriptedModelService.NoAnswer);
        await using var server = await ModelStatusServer.StartAsync(service);
        using var client = new StatusClient(server.Address);
        var timeout = TimeSpan.FromSeconds(1);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => client.WaitForModelAsync("m", version: null, timeout));

        Assert.EndsWith("within 1s (last: version 3 LOADING)", error.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, timeout, timeout + Overrun);
        Assert.Equal(2, service.Calls);
    }

    [Fact]
    public async Task A_server_that_never_answers_cannot_stretch_the_wait_past_its_timeout()
    {
        var service = ScriptedModelService.Silent();
        await using var server = await ModelStatusServer.StartAsync(service);
        using var client = new StatusClient(server.Address);
        var timeout = TimeSpan.FromSeconds(1);
        var end = DateTime.UtcNow + timeout;
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => client.WaitForModelAsync("m", version: null, timeout));

        Assert.InRange(clock.Elapsed, timeout, timeout + Overrun);
        Assert.EndsWith("(last: DeadlineExceeded)", error.Message, StringComparison.Ordinal);
        // Every call carried a deadline inside the wait (the margin covers the server reading the call late).
        Assert.NotEmpty(service.Deadlines);
        Assert.All(service.Deadlines, d => Assert.InRange(d, end - timeout, end + TimeSpan.FromSeconds(1.5)));
    }

    [Fact]
    public async Task Cancelling_during_a_call_throws_OperationCanceledException_promptly()
    {
        var service = ScriptedModelService.Silent();
        await using var server = await ModelStatusServer.StartAsync(service);
        using var client = new StatusClient(server.Address);
        using var cancel = new CancellationTokenSource();
        var wait = client.WaitForModelAsync("m", version: null, TimeSpan.FromSeconds(60), cancel.Token);

        // Cancel once the call is at the server (which never answers), however long connecting took on this host.
        await Eventually.Until(() => service.Calls >= 1, TimeSpan.FromSeconds(30));

        Assert.Equal(1, service.Calls);
        var clock = Stopwatch.StartNew();
        await cancel.CancelAsync();
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);

        Assert.Equal(cancel.Token, error.CancellationToken);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, Overrun);
        Assert.Equal(1, service.Calls);
    }

    [Fact]
    public async Task Cancelling_between_calls_throws_OperationCanceledException_promptly()
    {
        var service = ScriptedModelService.Steps(Versions((1, State.Loading)));
        await using var server = await ModelStatusServer.StartAsync(service);
        using var client = new StatusClient(server.Address);
        using var cancel = new CancellationTokenSource();
        var wait = client.WaitForModelAsync("m", version: null, TimeSpan.FromSeconds(60), cancel.Token);

        // Cancel once the server has answered twice (the client is then between calls), not at a fixed time: on a
        // loaded host the first call alone (connection, JIT) can take longer than any fixed delay.
        await Eventually.Until(() => service.Calls >= 2, TimeSpan.FromSeconds(30));

        Assert.InRange(service.Calls, 2, 100);
        var clock = Stopwatch.StartNew();
        await cancel.CancelAsync();
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);

        Assert.Equal(cancel.Token, error.CancellationToken);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, Overrun);
    }

    [Fact]
    public async Task Cancelling_during_a_one_second_pause_ends_the_wait_without_sitting_out_the_pause()
    {
        // Pauses double from 50 ms: after the sixth answer the client sleeps 1 s before asking again.
        var sixth = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var service = new ScriptedModelService((n, _, _) =>
        {
            if (n == 5)
            {
                sixth.TrySetResult();
            }

            return Task.FromResult(Versions((1, State.Loading)));
        });
        await using var server = await ModelStatusServer.StartAsync(service);
        using var client = new StatusClient(server.Address);
        using var cancel = new CancellationTokenSource();
        var wait = client.WaitForModelAsync("m", version: null, TimeSpan.FromSeconds(60), cancel.Token);

        await sixth.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(100);
        var clock = Stopwatch.StartNew();
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromMilliseconds(600));
        Assert.Equal(6, service.Calls);
    }

    [Fact]
    public async Task An_infinite_timeout_waits_until_AVAILABLE_or_until_the_token_is_cancelled()
    {
        var service = ScriptedModelService.Steps(Versions((1, State.Loading)), Versions((1, State.Loading)), Versions((1, State.Available)));
        await using var server = await ModelStatusServer.StartAsync(service);
        using var client = new StatusClient(server.Address);

        Assert.Equal(1, (await client.WaitForModelAsync("m", version: null, Timeout.InfiniteTimeSpan)).Version);

        var loading = ScriptedModelService.Steps(Versions((1, State.Loading)));
        await using var slow = await ModelStatusServer.StartAsync(loading);
        using var slowClient = new StatusClient(slow.Address);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slowClient.WaitForModelAsync("m", version: null, Timeout.InfiniteTimeSpan, cancel.Token));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task A_timeout_that_is_not_positive_is_refused(int milliseconds)
    {
        using var client = new StatusClient("http://127.0.0.1:1");
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.WaitForModelAsync("m", version: null, TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public async Task A_server_without_ModelService_fails_at_once_with_UNIMPLEMENTED()
    {
        await using var server = await ModelStatusServer.StartAsync(service: null);
        using var client = new StatusClient(server.Address);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RpcException>(() => client.WaitForModelAsync("m", version: null, TimeSpan.FromSeconds(30)));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, Overrun);
    }
}
