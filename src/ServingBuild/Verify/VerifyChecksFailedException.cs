namespace ServingBuild.Verify;

/// <summary>The server answered, but a check failed (wrong values or wrong status codes).</summary>
public sealed class VerifyChecksFailedException(string message) : ToolkitException(message);
