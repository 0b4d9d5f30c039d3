namespace TensorFlowServing.Client;

/// <summary>
/// A tensor cannot be read as asked: its dtype is not the one requested, or its values do not fill its shape.
/// The message names the tensor's dtype and shape and what was expected.
/// </summary>
public sealed class TensorMismatchException(string message) : InvalidOperationException(message);
