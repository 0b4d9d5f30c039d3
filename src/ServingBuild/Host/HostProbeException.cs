namespace ServingBuild.Host;

/// <summary>The build host could not be probed (no bash, the probe failed): its facts are unknown.</summary>
public sealed class HostProbeException(string message)
    : ToolkitException(message, ExitCodes.Prerequisite);
