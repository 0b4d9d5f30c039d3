namespace ServingBuild.Protos;

/// <summary>The serving tree has no tensorflow_serving/apis/prediction_service.proto.</summary>
public sealed class ServiceProtoNotFoundException(string servingDir)
    : ToolkitException($"no {ServingProtoTree.ServiceProto} under {servingDir}; pass --serving-dir=DIR pointing at a TensorFlow Serving checkout (the folder holding WORKSPACE)", ExitCodes.Usage)
{
}
