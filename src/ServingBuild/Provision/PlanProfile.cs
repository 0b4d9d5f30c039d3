namespace ServingBuild.Provision;

/// <summary>What a plan provisions for.</summary>
public enum PlanProfile
{
    /// <summary>A real TensorFlow Serving build: build prerequisites, the stropts.h shim, Bazel at the wanted version.</summary>
    Build,

    /// <summary>This project's tests and the bundled miniature workspace (Debian/Ubuntu packages only).</summary>
    Tests,
}
