using Grpc.Core;
using Tensorflow.Serving;

namespace TensorFlowServing.Client.Tests;

/// <summary>Counts the client's reading threads in this process, so nothing else may create clients meanwhile.</summary>
[CollectionDefinition(nameof(ReadingThreadTests), DisableParallelization = true)]
public sealed class ReadingThreadCollection
{
}

[Collection(nameof(ReadingThreadTests))]
public sealed class ReadingThreadTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Disposing_the_client_closes_its_connection_and_ends_its_reading_thread(bool dedicatedReader)
    {
        await using var server = await FullProtoServer.StartAsync();
        var before = ReadingThreads();
        var client = new ServingClient(server.Address, new ServingClientOptions { DedicatedReader = dedicatedReader });
        var response = await client.PredictAsync(new PredictRequestBuilder("half_plus_two").Input("x", Tensor.Scalar(2f)).Build());
        Assert.Equal([3f], response.Outputs["y"].ToFloats());
        Assert.Equal(before + (dedicatedReader ? 1 : 0), ReadingThreads());

        client.Dispose();

        await Eventually.Until(() => ReadingThreads() <= before, TimeSpan.FromSeconds(10));

        Assert.Equal(before, ReadingThreads());
    }

    // Threads of this process named as the client names its connection readers (/proc: this is Linux).
    private static int ReadingThreads() =>
        Directory.GetDirectories("/proc/self/task").Count(t => File.Exists(Path.Combine(t, "comm")) && TryRead(Path.Combine(t, "comm")).Trim() == "serving-read");

    private static string TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return ""; // the thread ended meanwhile
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_TLS_server_that_never_answers_the_handshake_fails_at_the_connect_timeout_not_the_deadline(bool dedicatedReader)
    {
        // Accepts TCP and then says nothing: the TLS handshake waits for a ServerHello that never comes.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var held = new List<System.Net.Sockets.TcpClient>();
        var accepting = Task.Run(async () =>
        {
            while (true)
            {
                held.Add(await listener.AcceptTcpClientAsync());
            }
        });
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        using var client = new ServingClient($"https://127.0.0.1:{port}", new ServingClientOptions { MaxAttempts = 1, DedicatedReader = dedicatedReader });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<RpcException>(() => client.PredictAsync(new PredictRequestBuilder("m").Input("x", Tensor.Scalar(1f)).Build(), TimeSpan.FromSeconds(60)));

        // .NET reports its connect timeout as a cancelled request, which gRPC passes on as CANCELLED.
        Assert.True(ex.StatusCode is StatusCode.Unavailable or StatusCode.Cancelled, ex.ToString());
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(30));
        listener.Stop();
        held.ForEach(c => c.Dispose());
    }
}
