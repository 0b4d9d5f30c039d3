namespace ServingBuild.Verify;

/// <summary>Every free port the stage picked was taken by another process before the server could listen.</summary>
public sealed class ServerPortTakenException(string message) : ToolkitException(message);
