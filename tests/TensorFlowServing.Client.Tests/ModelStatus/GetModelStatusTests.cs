extern alias full;
extern alias status;
using System.Diagnostics;
using Grpc.Core;
using static TensorFlowServing.Client.Tests.ModelStatus.ModelStatusScript;
using StatusClient = status::TensorFlowServing.Client.ServingClient;
using ClientState = status::Tensorflow.Serving.ModelVersionStatus.Types.State;
using Code = full::Tensorflow.Error.Code;
using State = full::Tensorflow.Serving.ModelVersionStatus.Types.State;

namespace TensorFlowServing.Client.Tests.ModelStatus;

/// <summary>ServingClient.GetModelStatusAsync against a scripted in-process ModelService: what it sends and what it gives back.</summary>
public sealed class GetModelStatusTests
{
    [Fact]
    public async Task Sends_the_version_only_when_one_is_given()
    {
        var service = ScriptedModelService.Steps(Versions((1, State.Available)));
        await using var server = await ModelStatusServer.StartAsync(service);
        using var client = new StatusClient(server.Address);

        await client.GetModelStatusAsync("thermo");
        await client.GetModelStatusAsync("thermo", 7);
        await client.GetModelStatusAsync("thermo", 0);

        var received = service.Received.ToArray();
        Assert.Equal(["thermo", "thermo", "thermo"], received.Select(r => r.ModelSpec.Name));
        Assert.Equal([null, 7L, 0L], received.Select(r => r.ModelSpec.Version));
        Assert.All(received, r => Assert.Equal("", r.ModelSpec.SignatureName));
    }

    [Fact]
    public async Task Returns_every_version_with_its_state_and_status()
    {
        var service = ScriptedModelService.Steps(Versions((2, State.Available), (3, State.Loading)).WithFailed(4, Code.InvalidArgument, "bad signature"));
        await using var server = await ModelStatusServer.StartAsync(service);
        using var client = new StatusClient(server.Address);

        var response = await client.GetModelStatusAsync("m");

        Assert.Equal(
            ["2 Available Ok ", "3 Loading Ok ", "4 End InvalidArgument bad signature"],
            response.ModelVersionStatus.Select(s => $"{s.Version} {s.State} {s.Status.ErrorCode} {s.Status.ErrorMessage}"));
        Assert.Equal(ClientState.End, response.ModelVersionStatus[2].State);
    }

    [Fact]
    public async Task A_model_the_server_does_not_know_comes_back_as_NOT_FOUND()
    {
        await using var server = await ModelStatusServer.StartAsync(ScriptedModelService.Steps(NotFound("nope")));
        using var client = new StatusClient(server.Address);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.GetModelStatusAsync("nope"));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("Could not find any versions of model nope", error.Status.Detail);
    }

    [Fact]
    public async Task The_timeout_is_the_calls_deadline()
    {
        await using var server = await ModelStatusServer.StartAsync(ScriptedModelService.Silent());
        using var client = new StatusClient(server.Address);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<RpcException>(() => client.GetModelStatusAsync("m", timeout: TimeSpan.FromMilliseconds(300)));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(2.5));
    }
}
