using System.Text.RegularExpressions;

namespace ServingBuild.BazelBuild;

/// <summary>A named, known way a TensorFlow Serving build fails: what it looks like in the log, why, and the fix.</summary>
public sealed record FailureSignature(string Name, IReadOnlyList<Regex> Patterns, string Cause, string Fix, SafeFix SafeFix = SafeFix.None)
{
    /// <summary>The first log line this signature matches, or null.</summary>
    public string? FirstMatch(IEnumerable<string> lines) =>
        lines.FirstOrDefault(line => Patterns.Any(p => p.IsMatch(line)));
}
