namespace ServingBuild.Protos;

/// <summary>TensorFlow's protos (tensorflow/core/framework/tensor.proto) are nowhere the stage looked.</summary>
public sealed class TensorflowProtosNotFoundException(IReadOnlyList<string> looked)
    : ToolkitException($"TensorFlow's protos (tensorflow/core/framework/tensor.proto) not found; looked in {string.Join(", ", looked)}; pass --tensorflow-dir=DIR (the folder holding tensorflow/core/framework)", ExitCodes.Usage);
