using System.Text;

namespace ServingBuild.Protos;

/// <summary>The drift findings as markdown (artifacts/protos-drift.md) and as a console summary.</summary>
public static class DriftReport
{
    /// <param name="reachedByRpc">each kept RPC's full name with the messages it reaches (from <see cref="ProtoDrift.ReachedByRpc"/>)</param>
    public static string Markdown(IReadOnlyList<DescriptorFinding> findings, IReadOnlyDictionary<string, IReadOnlyList<string>> reachedByRpc,
        string servingDir, string lockPath, bool accepted)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Protos drift");
        sb.AppendLine();
        sb.AppendLine($"Upstream protos in `{servingDir}` differ from `{lockPath}`.");
        var breaking = findings.Count(f => f.IsBreaking);
        sb.AppendLine();
        sb.AppendLine($"{findings.Count} finding(s): {breaking} wire-breaking, {findings.Count - breaking} additive."
            + (breaking > 0 ? accepted ? " Accepted with --accept-breaking." : " Refused: rerun with --accept-breaking to take them." : ""));

        var placed = new HashSet<DescriptorFinding>();
        foreach (var (rpc, reached) in reachedByRpc)
        {
            var mine = findings.Where(f => f.Subject == rpc || reached.Any(r => f.Subject == r || f.Subject.StartsWith(r + ".", StringComparison.Ordinal))).ToList();
            placed.UnionWith(mine);
            Section(sb, $"RPC {rpc}", mine, $"No change in the RPC or the {reached.Count} message(s) and enum(s) it reaches.");
        }

        var rest = findings.Where(f => !placed.Contains(f)).ToList();
        if (rest.Count > 0)
        {
            Section(sb, "Service", rest, "");
        }

        return sb.ToString();
    }

    private static void Section(StringBuilder sb, string title, IReadOnlyList<DescriptorFinding> findings, string whenEmpty)
    {
        sb.AppendLine();
        sb.AppendLine($"## {title}");
        sb.AppendLine();
        if (findings.Count == 0)
        {
            sb.AppendLine(whenEmpty);
            return;
        }

        sb.AppendLine("| Rule | Class | Subject | Change |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var f in findings.OrderBy(f => f.Class))
        {
            var cls = f.IsBreaking ? "wire-breaking" : "additive";
            sb.AppendLine($"| {f.Rule} | {cls} | `{f.Subject}` | {f.Detail.Replace("|", "\\|", StringComparison.Ordinal)} |");
        }
    }
}
