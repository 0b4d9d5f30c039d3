namespace ServingBuild.Provision;

/// <summary>
/// One step of a host plan. <see cref="Check"/> is bash that exits 0 when the step is already satisfied (it only
/// reads: rpm -q, dpkg-query, test -e); <see cref="Action"/> is bash that makes it so. Both run under
/// set -euo pipefail, by every executor and in the emitted script alike.
/// </summary>
public sealed record ProvisionStep(string Id, string Description, string Check, string Action, bool NeedsRoot)
{
    /// <summary>Why the step is there, for the plan's printout and the script's comments.</summary>
    public string? Why { get; init; }

    /// <summary>Bash that prints, one per line, which of the step's packages are missing; Doctor shows them by name.</summary>
    public string? MissingQuery { get; init; }
}
