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

    /// <summary>Each call's deadline as the server saw it (from the grpc-timeout the client sent).</summary>
    public ConcurrentQueue<DateTime> Deadlines { get; } = new();

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>A step that never answers: the call ends only when the client's deadline passes or it cancels.</summary>
    public static readonly object NoAnswer = new();

    /// <summary>Answers the steps in order, then the last one for ever. A step is a response, an exception to throw or <see cref="NoAnswer"/>.</summary>
    public static ScriptedModelService Steps(params object[] steps) =>
        new(async (n, _, context) => steps[Math.Min(n, steps.Length - 1)] switch
        {
            Served.GetModelStatusResponse response => response,
            Exception error => throw error,
            var step when step == NoAnswer => await Never(context),
            var other => throw new ArgumentException($"not a step: {other}"),
        });

    /// <summary>Never answers.</summary>
    public static ScriptedModelService Silent() => Steps(NoAnswer);

    private static async Task<Served.GetModelStatusResponse> Never(ServerCallContext context)
    {
        await Task.Delay(Timeout.Infinite, context.CancellationToken);
        throw new InvalidOperationException("unreachable");
    }

    public override Task<Served.GetModelStatusResponse> GetModelStatus(Served.GetModelStatusRequest request, ServerCallContext context)
    {
        Received.Enqueue(request.Clone());
        Deadlines.Enqueue(context.Deadline);
        return answer(Interlocked.Increment(ref _calls) - 1, request, context);
    }
}
