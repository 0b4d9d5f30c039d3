using ServingBuild.Protos.Drift;

namespace ServingBuild.Protos;

/// <summary>
/// One difference between two descriptor sets: a change named by buf's rule ID (with that rule's categories),
/// or an addition (<see cref="AdditionRule"/>). Before and After are where the element is on each side
/// (file:line:column from protoc's source info).
/// </summary>
public sealed record DescriptorFinding(string Rule, FindingClass Class, string Subject, string Detail, SourcePosition? Before = null, SourcePosition? After = null)
{
    /// <summary>What additions are listed under: a word, not a rule ID, since buf has no rule for them.</summary>
    public const string AdditionRule = "added";

    public bool IsAddition => Class == FindingClass.Addition;

    /// <summary>buf's categories of the rule (WIRE, WIRE_JSON, FILE, ...); none for an addition.</summary>
    public IReadOnlyList<string> Categories => Class == FindingClass.Change ? BreakingRules.Find(Rule)?.Categories ?? [] : [];

    /// <summary>True when the rule belongs to <paramref name="category"/> (WIRE or WIRE_JSON): it breaks clients of that kind.</summary>
    public bool BreaksUnder(string category) => Class == FindingClass.Change && Categories.Contains(category, StringComparer.Ordinal);

    /// <summary>"before a.proto:3:5, after b.proto:4:5" (the sides that are known).</summary>
    public string Where =>
        string.Join(", ", new[] { Before is null ? null : $"before {Before}", After is null ? null : $"after {After}" }.OfType<string>());

    public override string ToString() => $"{Rule} {Subject}: {Detail}";
}
