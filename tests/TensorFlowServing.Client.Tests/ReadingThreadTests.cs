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

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (ReadingThreads() > before && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

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
}
