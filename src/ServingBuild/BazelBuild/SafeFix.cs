namespace ServingBuild.BazelBuild;

/// <summary>The fixes --auto-fix may apply on its own: small, reversible, and needed by upstream's own build.</summary>
public enum SafeFix
{
    None,

    /// <summary>Create an empty /usr/include/stropts.h (0644) when absent, as the seed did by hand.</summary>
    StroptsShim,

    /// <summary>Install bzip2 with the host's package manager.</summary>
    InstallBzip2,
}
