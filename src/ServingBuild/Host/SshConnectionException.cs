namespace ServingBuild.Host;

/// <summary>The build host given with --build-host could not be reached or refused the key.</summary>
public sealed class SshConnectionException(string message)
    : ToolkitException(message, ExitCodes.Prerequisite);
