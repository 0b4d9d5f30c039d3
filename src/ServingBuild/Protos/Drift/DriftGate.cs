using ServingBuild.Options;

namespace ServingBuild.Protos.Drift;

/// <summary>
/// What stops the Protos stage: a change under a rule of the chosen category (--breaking, WIRE by default)
/// that --accept-breaking does not name (or, given alone, lets everything through). Every other change is a note.
/// </summary>
public sealed record DriftGate(string Category, bool AcceptAll, IReadOnlySet<string> Accepted)
{
    public static DriftGate From(BuildOptions options) =>
        new(options.Breaking, options.AcceptBreaking, options.AcceptBreakingRules.ToHashSet(StringComparer.Ordinal));

    public bool Blocks(DescriptorFinding f) => f.BreaksUnder(Category) && !AcceptAll && !Accepted.Contains(f.Rule);

    public bool IsAccepted(DescriptorFinding f) => f.BreaksUnder(Category) && (AcceptAll || Accepted.Contains(f.Rule));

    /// <summary>"BREAKING", "accepted", "note" or "addition": how the finding was judged.</summary>
    public string Verdict(DescriptorFinding f) =>
        f.IsAddition ? "addition" : Blocks(f) ? "BREAKING" : IsAccepted(f) ? "accepted" : "note";

    /// <summary>The categories of a change, for a reader: "WIRE, WIRE_JSON" or the buf category it belongs to instead.</summary>
    public static string CategoriesOf(DescriptorFinding f)
    {
        var gate = BreakingRules.GateCategories.Where(c => f.Categories.Contains(c, StringComparer.Ordinal)).ToList();
        return gate.Count > 0 ? string.Join(", ", gate) : string.Join(", ", f.Categories.Where(c => c != "CSR"));
    }
}
