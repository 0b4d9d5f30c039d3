namespace ServingBuild.Provision;

/// <summary>What a plan depends on besides the host's OS: kept small so the golden plan is reproducible.</summary>
public sealed record PlanInputs
{
    public PlanProfile Profile { get; init; } = PlanProfile.Build;

    /// <summary>The Bazel version the checkout wants (Dockerfile.devel or .bazelversion); null installs none.</summary>
    public string? WantedBazel { get; init; }

    /// <summary>The checkout needs a C++14/17 compiler (TensorFlow Serving 2.x): on CentOS 7 that is devtoolset.</summary>
    public bool NeedsModernCompiler { get; init; } = true;

    /// <summary>CentOS 7: leave the yum repos alone (--skip-vault).</summary>
    public bool SkipVault { get; init; }

    /// <summary>--bazel-mirror: Bazel releases from this base (GitHub's layout); null: GitHub.</summary>
    public string? BazelMirror { get; init; }

    /// <summary>uname -m of the host: x86_64 or aarch64.</summary>
    public string Architecture { get; init; } = "x86_64";
}
