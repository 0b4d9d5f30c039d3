using System.Text;
using ServingBuild.Protos.Drift;

namespace ServingBuild.Protos;

/// <summary>The drift findings as markdown (artifacts/protos-drift.md) and as console lines, each with the rule, verdict and where it is before and after.</summary>
public static class DriftReport
{
    /// <param name="reachedByRpc">each kept RPC's full name with the messages it reaches (from <see cref="ProtoDrift.ReachedByRpc"/>)</param>
    /// <param name="before">what the "before" side is (the lock's path, or "git ref v1.0 of DIR")</param>
    public static string Markdown(IReadOnlyList<DescriptorFinding> findings, IReadOnlyDictionary<string, IReadOnlyList<string>> reachedByRpc,
        string servingDir, string before, DriftGate gate)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Protos drift");
        sb.AppendLine();
        sb.AppendLine($"Upstream protos in `{servingDir}` compared with {before}, by buf's breaking rules; the gate is `--breaking={gate.Category}`.");
        var blocking = findings.Count(gate.Blocks);
        var accepted = findings.Count(gate.IsAccepted);
        var notes = findings.Count(f => gate.Verdict(f) == "note");
        var additions = findings.Count(f => f.IsAddition);
        sb.AppendLine();
        sb.AppendLine($"{findings.Count} finding(s): {blocking} breaking {gate.Category} clients, {accepted} accepted, {notes} note(s) (rules outside {gate.Category}), {additions} addition(s)."
            + (blocking > 0 ? $" Refused: rerun with --accept-breaking={string.Join(",", findings.Where(gate.Blocks).Select(f => f.Rule).Distinct(StringComparer.Ordinal))} to take them." : ""));

        var placed = new HashSet<DescriptorFinding>();
        foreach (var (rpc, reached) in reachedByRpc)
        {
            var mine = findings.Where(f => f.Subject == rpc || reached.Any(r => f.Subject == r || f.Subject.StartsWith(r + ".", StringComparison.Ordinal))).ToList();
            placed.UnionWith(mine);
            Section(sb, $"RPC {rpc}", mine, gate, $"No change in the RPC or the {reached.Count} message(s) and enum(s) it reaches.");
        }

        var rest = findings.Where(f => !placed.Contains(f)).ToList();
        if (rest.Count > 0)
        {
            Section(sb, "Files and services", rest, gate, "");
        }

        return sb.ToString();
    }

    /// <summary>One console line: verdict, rule, subject, change, and where.</summary>
    public static string Line(DescriptorFinding f, DriftGate gate) =>
        (f.IsAddition ? f.ToString() : $"{gate.Verdict(f)} {f} [{DriftGate.CategoriesOf(f)}]") + (f.Where.Length > 0 ? $" ({f.Where})" : "");

    private static void Section(StringBuilder sb, string title, IReadOnlyList<DescriptorFinding> findings, DriftGate gate, string whenEmpty)
    {
        sb.AppendLine();
        sb.AppendLine($"## {title}");
        sb.AppendLine();
        if (findings.Count == 0)
        {
            sb.AppendLine(whenEmpty);
            return;
        }

        sb.AppendLine("| Rule | Verdict | Categories | Subject | Change | Before | After |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var f in findings.OrderBy(f => Order(gate.Verdict(f))).ThenBy(f => f.Rule, StringComparer.Ordinal))
        {
            sb.AppendLine($"| {f.Rule} | {gate.Verdict(f)} | {(f.IsAddition ? "" : DriftGate.CategoriesOf(f))} | `{f.Subject}` | {Cell(f.Detail)} | {Cell(f.Before?.ToString())} | {Cell(f.After?.ToString())} |");
        }
    }

    private static int Order(string verdict) => verdict switch { "BREAKING" => 0, "accepted" => 1, "note" => 2, _ => 3 };

    private static string Cell(string? text) => text is null or "" ? "" : text.Replace("|", "\\|", StringComparison.Ordinal);
}
