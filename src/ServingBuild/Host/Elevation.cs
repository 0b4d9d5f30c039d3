namespace ServingBuild.Host;

/// <summary>How a command that needs root gets it on a host.</summary>
public enum Elevation
{
    /// <summary>Not known yet (the host has not been probed).</summary>
    Unknown,

    /// <summary>The commands already run as root.</summary>
    AlreadyRoot,

    /// <summary>Through `sudo -n` (passwordless sudo).</summary>
    Sudo,

    /// <summary>Neither root nor passwordless sudo: steps that need root cannot run.</summary>
    Unavailable,
}
