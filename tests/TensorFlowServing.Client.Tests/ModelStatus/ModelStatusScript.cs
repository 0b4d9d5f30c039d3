extern alias full;
using Grpc.Core;
using Served = full::Tensorflow.Serving;
using State = full::Tensorflow.Serving.ModelVersionStatus.Types.State;

namespace TensorFlowServing.Client.Tests.ModelStatus;

/// <summary>Steps for <see cref="ScriptedModelService.Steps"/>: the answers a tensorflow_model_server gives.</summary>
public static class ModelStatusScript
{
    public static Served.GetModelStatusResponse Versions(params (long Version, State State)[] versions)
    {
        var response = new Served.GetModelStatusResponse();
        foreach (var (version, state) in versions)
        {
            response.ModelVersionStatus.Add(new Served.ModelVersionStatus
            {
                Version = version,
                State = state,
                Status = new Served.StatusProto { ErrorCode = full::Tensorflow.Error.Code.Ok },
            });
        }

        return response;
    }

    /// <summary>Adds a version that ended with an error, as the server reports a load that failed.</summary>
    public static Served.GetModelStatusResponse WithFailed(this Served.GetModelStatusResponse response, long version, full::Tensorflow.Error.Code code, string message)
    {
        var copy = response.Clone();
        copy.ModelVersionStatus.Add(new Served.ModelVersionStatus
        {
            Version = version,
            State = State.End,
            Status = new Served.StatusProto { ErrorCode = code, ErrorMessage = message },
        });
        return copy;
    }

    /// <summary>What the server says before it has read a model (or for a version it does not have).</summary>
    public static RpcException NotFound(string model) =>
        new(new Status(StatusCode.NotFound, $"Could not find any versions of model {model}"));
}
