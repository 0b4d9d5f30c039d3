using ServingBuild.Protos.Drift;

namespace ServingBuild.Protos;

/// <summary>The protos changed in a way that breaks clients of the chosen category (--breaking); refused unless --accept-breaking names the rules.</summary>
public sealed class BreakingDriftException(IReadOnlyList<DescriptorFinding> breaking, string category, string since, string reportPath)
    : ToolkitException(
        $"upstream protos changed in a way that breaks {category} clients since {since} "
        + $"({string.Join("; ", breaking.Take(3).Select(f => (f.After ?? f.Before) is { } at ? $"{f} at {at}" : f.ToString()))}"
        + $"{(breaking.Count > 3 ? $"; and {breaking.Count - 3} more" : "")}); see {reportPath}; "
        + $"rerun with --accept-breaking={string.Join(",", breaking.Select(f => f.Rule).Distinct(StringComparer.Ordinal))} to take them",
        ExitCodes.BreakingDrift)
{
    /// <summary>The findings that stopped the run (tests and callers read which rules fired).</summary>
    public IReadOnlyList<DescriptorFinding> Breaking { get; } = breaking;
}
