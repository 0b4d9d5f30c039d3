namespace TensorFlowServing.Client;

/// <summary>Where a tensor's numbers travel in a <see cref="Tensorflow.TensorProto"/>.</summary>
public enum TensorEncoding
{
    /// <summary>Packed little-endian bytes in tensor_content: one copy, the fast way for large tensors.</summary>
    Content,

    /// <summary>The typed repeated field (float_val, int64_val, ...): what older clients and hand-written JSON use.</summary>
    TypedValues,
}
