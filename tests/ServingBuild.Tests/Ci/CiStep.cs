namespace ServingBuild.Tests.Ci;

/// <summary>
/// One step of a template's job. Values are as written in the template: GitHub `${{ ... }}` expressions and
/// GitLab `$VARIABLES` are resolved by <see cref="PipelineSimulation"/> when the step runs.
/// </summary>
public sealed record CiStep(CiStepKind Kind)
{
    public string? Id { get; init; }

    /// <summary>Run: the commands.</summary>
    public string? Command { get; init; }

    /// <summary>Upload/Download: the artifact's name (GitHub) or the producing job's name (GitLab).</summary>
    public string? Artifact { get; init; }

    /// <summary>Upload: what is handed on; Cache: what is cached.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>Download: where the files go (GitHub `path`); null: where they were (GitLab) or the workspace.</summary>
    public string? Destination { get; init; }

    public string? CacheKey { get; init; }
    public IReadOnlyList<string> RestoreKeys { get; init; } = [];

    /// <summary>GitHub's upload-artifact drops file modes; GitLab keeps them.</summary>
    public bool KeepsModes { get; init; }

    /// <summary>For people, not later jobs (reports uploaded with `if: always()` / `when: always`).</summary>
    public bool AlwaysRuns { get; init; }
}
