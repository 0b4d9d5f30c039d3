namespace ServingBuild.Verify;

/// <summary>The model server the stage started exited before it answered.</summary>
public sealed class ModelServerExitedException(string message) : ToolkitException(message);
