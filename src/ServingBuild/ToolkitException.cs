namespace ServingBuild;

/// <summary>
/// A failure the user can act on. The message is one line: what went wrong, where, and the fix.
/// Each concern derives its own type so callers and tests can tell failures apart.
/// </summary>
public class ToolkitException : Exception
{
    public ToolkitException(string message, int exitCode = ExitCodes.StageFailed, Exception? inner = null)
        : base(message, inner)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }
}
