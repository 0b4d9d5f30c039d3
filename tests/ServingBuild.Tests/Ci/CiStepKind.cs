namespace ServingBuild.Tests.Ci;

/// <summary>What a pipeline step does, as far as running it on this machine is concerned.</summary>
public enum CiStepKind
{
    /// <summary>A shell command (GitHub `run`, GitLab `script`).</summary>
    Run,

    /// <summary>Hand files on to later jobs (upload-artifact, GitLab `artifacts:paths`).</summary>
    Upload,

    /// <summary>Receive files an earlier job handed on (download-artifact, GitLab `needs` with artifacts).</summary>
    Download,

    /// <summary>Restore Bazel's caches before the job's commands (saved again when the job ends).</summary>
    Cache,

    /// <summary>Nothing to do here: the checkout is the fresh clone every job starts in.</summary>
    Checkout,
}
