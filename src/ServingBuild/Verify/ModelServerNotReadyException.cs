namespace ServingBuild.Verify;

/// <summary>The model server never stopped answering UNAVAILABLE or NOT_FOUND within the readiness bound.</summary>
public sealed class ModelServerNotReadyException(string message) : ToolkitException(message);
