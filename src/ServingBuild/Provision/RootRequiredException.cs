namespace ServingBuild.Provision;

/// <summary>The plan has steps that need root, and the host gives neither root nor passwordless sudo.</summary>
public sealed class RootRequiredException(string message)
    : ToolkitException(message, ExitCodes.Prerequisite);
