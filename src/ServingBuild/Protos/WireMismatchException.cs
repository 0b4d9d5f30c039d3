namespace ServingBuild.Protos;

/// <summary>The rewritten protos differ from upstream's on the wire: a bug in the rewrite, never written out.</summary>
public sealed class WireMismatchException(IReadOnlyList<DescriptorFinding> findings)
    : ToolkitException($"the rewritten protos differ from upstream on the wire ({string.Join("; ", findings.Take(3).Select(f => f.ToString()))}{(findings.Count > 3 ? $"; and {findings.Count - 3} more" : "")}); nothing was written; this is a bug in the Protos stage, please report it with the serving tree");
