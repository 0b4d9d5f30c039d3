namespace ServingBuild.Protos;

/// <summary>Upstream's protos changed in a wire-breaking way since the lock; refused unless --accept-breaking.</summary>
public sealed class BreakingDriftException(IReadOnlyList<DescriptorFinding> breaking, string reportPath)
    : ToolkitException($"upstream protos changed in a wire-breaking way since protos.lock.json ({string.Join("; ", breaking.Take(3).Select(f => f.ToString()))}{(breaking.Count > 3 ? $"; and {breaking.Count - 3} more" : "")}); see {reportPath}; rerun with --accept-breaking to take them", ExitCodes.BreakingDrift);
