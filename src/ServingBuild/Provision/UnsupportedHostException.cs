namespace ServingBuild.Provision;

/// <summary>The build host's OS has no plan (only CentOS 7 and Debian/Ubuntu do).</summary>
public sealed class UnsupportedHostException(string message)
    : ToolkitException(message, ExitCodes.Prerequisite);
