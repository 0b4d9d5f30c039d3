namespace ServingBuild.Protos.Drift;

/// <summary>One of buf's breaking rules: its exact ID, buf's categories for it, one line on what it checks, and the check.</summary>
public sealed record BreakingRule(string Id, IReadOnlyList<string> Categories, string Summary, Func<DescriptorPairs, IEnumerable<DescriptorFinding>> Check)
{
    public bool IsIn(string category) => Categories.Contains(category, StringComparer.Ordinal);
}
