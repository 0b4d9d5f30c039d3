using System.Globalization;
using System.Text.RegularExpressions;

namespace ServingBuild.BazelBuild;

/// <summary>
/// Bazel's closing "INFO: 16 processes: 1 internal, 15 linux-sandbox." (or "... 12 remote cache hit, ..."):
/// how many spawns ran, and how each was satisfied.
/// </summary>
public sealed partial record ProcessSummary(int Total, IReadOnlyDictionary<string, int> ByKind)
{
    public int RemoteCacheHits => Count("remote cache hit");
    public int DiskCacheHits => Count("disk cache hit");
    public int Internal => Count("internal");

    /// <summary>Processes that were not internal bookkeeping: what actually had to be run or fetched from a cache.</summary>
    public int Actions => Total - Internal;

    /// <summary>Processes that really ran here or remotely (not satisfied by a cache, not internal).</summary>
    public int Executed => Actions - RemoteCacheHits - DiskCacheHits;

    /// <summary>Share of the non-internal processes answered by the remote cache, 0 to 100.</summary>
    public double RemoteHitPercent => Actions == 0 ? 0 : 100.0 * RemoteCacheHits / Actions;

    public override string ToString() =>
        $"{Total} processes: " + string.Join(", ", ByKind.Select(kv => $"{kv.Value} {kv.Key}"));

    public int Count(string kind) => ByKind.TryGetValue(kind, out var n) ? n : 0;

    /// <summary>The last summary line in the log, or null when Bazel did not get that far.</summary>
    public static ProcessSummary? FindLast(IEnumerable<string> lines)
    {
        ProcessSummary? last = null;
        foreach (var line in lines)
        {
            if (Parse(line) is { } s)
            {
                last = s;
            }
        }

        return last;
    }

    public static ProcessSummary? Parse(string line)
    {
        var m = Line().Match(line);
        if (!m.Success)
        {
            return null;
        }

        var byKind = new Dictionary<string, int>(StringComparer.Ordinal);
        var rest = m.Groups["rest"].Value.TrimEnd('.', ' ');
        foreach (var part in rest.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var pm = Part().Match(part);
            if (pm.Success)
            {
                var kind = pm.Groups["kind"].Value.Trim();
                byKind[kind] = byKind.GetValueOrDefault(kind) + int.Parse(pm.Groups["n"].Value, CultureInfo.InvariantCulture);
            }
        }

        return new ProcessSummary(int.Parse(m.Groups["total"].Value, CultureInfo.InvariantCulture), byKind);
    }

    [GeneratedRegex(@"INFO: (?<total>\d+) process(es)?(: (?<rest>.*)|\.)\s*$")]
    private static partial Regex Line();

    [GeneratedRegex(@"^(?<n>\d+) (?<kind>.+)$")]
    private static partial Regex Part();
}
