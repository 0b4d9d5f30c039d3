using System.Runtime.InteropServices;
using Grpc.Core;
using Tensorflow;
using Tensorflow.Serving;

namespace HalfPlusTwoServer;

/// <summary>
/// Predict for half_plus_two: input x (DT_FLOAT, float_val or tensor_content), output y = 0.5 * x + 2 in
/// float_val with x's shape. The other four RPCs of the full service stay unimplemented, as a server without
/// those signatures would answer.
/// </summary>
public sealed class PredictionServiceImpl(ServerSettings settings, ModelState model) : PredictionService.PredictionServiceBase
{
    public override async Task<PredictResponse> Predict(PredictRequest request, ServerCallContext context)
    {
        if ((model.CountPredict() <= 2 && settings.Fault == "unavailable-twice") || settings.Fault == "unavailable-always")
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "overloaded, try again"));
        }

        if (settings.Fault == "slow")
        {
            await Task.Delay(TimeSpan.FromSeconds(5), context.CancellationToken);
        }

        var name = request.ModelSpec?.Name ?? "";
        if (name != settings.ModelName || !model.Loaded)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"Servable not found for request: Latest({name})"));
        }

        if (request.ModelSpec!.SignatureName is not ("" or "serving_default"))
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"Serving signature name: \"{request.ModelSpec.SignatureName}\" not found in signature def"));
        }

        var extra = request.Inputs.Keys.Where(k => k != "x").ToList();
        if (extra.Count > 0 || !request.Inputs.TryGetValue("x", out var x))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"input keys {{{string.Join(",", request.Inputs.Keys)}}} do not match the signature's inputs {{x}}"));
        }

        if (x.Dtype != DataType.DtFloat)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"Expects arg[0] to be float but {x.Dtype} is provided"));
        }

        var values = x.TensorContent.IsEmpty ? x.FloatVal.ToArray() : MemoryMarshal.Cast<byte, float>(x.TensorContent.Span).ToArray();
        var y = new TensorProto { Dtype = DataType.DtFloat, TensorShape = x.TensorShape?.Clone() ?? new TensorShapeProto() };
        var wrong = settings.Fault == "wrong-answer";
        foreach (var v in values)
        {
            y.FloatVal.Add(wrong ? v * 0.5f + 3f : v * 0.5f + 2f);
        }

        var response = new PredictResponse { ModelSpec = new ModelSpec { Name = name, Version = model.Version, SignatureName = "serving_default" } };
        response.Outputs.Add("y", y);
        return response;
    }
}
