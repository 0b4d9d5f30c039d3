extern alias full;
using System.Collections.Concurrent;
using Grpc.Core;
using Served = full::Tensorflow.Serving;

namespace TensorFlowServing.Client.Tests.ModelStatus;

/// <summary>
/// ModelService, generated from the full serving-mini protos, answering GetModelStatus from a script: call n
/// (from 0) gets <c>answer(n, request, context)</c>. It plays what the miniature C++ server cannot: versions
/// that ended with an error, several AVAILABLE versions, any sequence of states and RPC errors, a call that
/// never returns. Every request is recorded, so tests see what the client sent.
/// </summary>
public sealed class ScriptedModelService(Func<int, Served.GetModelStatusRequest, ServerCallContext, Task<Served.GetModelStatusResponse>> answer)
    : Served.ModelService.ModelServiceBase
{
    private int _calls;

    public ConcurrentQueue<Served.GetModelStatusRequest> Received { get; } = new();

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Answers the steps in order, then the last one for ever. A step is a response or an exception to throw.</summary>
    public static ScriptedModelService Steps(params object[] steps) =>
        new((n, _, _) => steps[Math.Min(n, steps.Length - 1)] switch
        {
            Served.GetModelStatusResponse response => Task.FromResult(response),
            Exception error => Task.FromException<Served.GetModelStatusResponse>(error),
            var other => throw new ArgumentException($"not a step: {other}"),
        });

    /// <summary>Never answers: the call ends only when the client's deadline passes or it cancels.</summary>
    public static ScriptedModelService Silent() =>
        new(async (_, _, context) =>
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            throw new InvalidOperationException("unreachable");
        });

    public override Task<Served.GetModelStatusResponse> GetModelStatus(Served.GetModelStatusRequest request, ServerCallContext context)
    {
        Received.Enqueue(request.Clone());
        return answer(Interlocked.Increment(ref _calls) - 1, request, context);
    }
}
