namespace ServingBuild.Provision;

/// <summary>What a plan provisions for.</summary>
public enum PlanProfile
{
    /// <summary>A real TensorFlow Serving build: build prerequisites, the stropts.h shim, Bazel at the wanted version.</summary>
    Build,

    /// <summary>This project's tests: the bundled workspace's build plus the test tools, services left off (Debian/Ubuntu only).</summary>
    Tests,

    /// <summary>The bundled miniature workspace's build only: what Provision and Default install without --serving-dir.</summary>
    Bundled,
}
