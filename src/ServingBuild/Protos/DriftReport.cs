using System.Text;

namespace ServingBuild.Protos;

/// <summary>The drift findings as markdown (artifacts/protos-drift.md) and as a console summary.</summary>
public static class DriftReport
{
    public static string Markdown(IReadOnlyList<DescriptorFinding> findings, string servingDir, string lockPath, bool accepted)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Protos drift");
        sb.AppendLine();
        sb.AppendLine($"Upstream protos in `{servingDir}` differ from `{lockPath}`.");
        var breaking = findings.Count(f => f.IsBreaking);
        sb.AppendLine();
        sb.AppendLine($"{findings.Count} finding(s): {breaking} wire-breaking, {findings.Count - breaking} additive."
            + (breaking > 0 ? accepted ? " Accepted with --accept-breaking." : " Refused: rerun with --accept-breaking to take them." : ""));
        foreach (var group in new[] { (FindingClass.WireBreaking, "Wire-breaking"), (FindingClass.Additive, "Additive") })
        {
            var list = findings.Where(f => f.Class == group.Item1).ToList();
            if (list.Count == 0)
            {
                continue;
            }

            sb.AppendLine();
            sb.AppendLine($"## {group.Item2}");
            sb.AppendLine();
            sb.AppendLine("| Rule | Subject | Change |");
            sb.AppendLine("|---|---|---|");
            foreach (var f in list)
            {
                sb.AppendLine($"| {f.Rule} | `{f.Subject}` | {f.Detail.Replace("|", "\\|", StringComparison.Ordinal)} |");
            }
        }

        return sb.ToString();
    }
}
