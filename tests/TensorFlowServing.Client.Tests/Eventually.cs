using System.Diagnostics;

namespace TensorFlowServing.Client.Tests;

/// <summary>Waits for something another thread or the server makes true, polling, up to a limit (then the caller's assert says what failed).</summary>
internal static class Eventually
{
    public static async Task Until(Func<bool> condition, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < limit)
        {
            await Task.Delay(10);
        }
    }
}
