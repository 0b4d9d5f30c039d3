using System.Text.RegularExpressions;
using NuGet.Versioning;

namespace ServingBuild.BazelBuild;

/// <summary>
/// The one reader of Bazel versions, for every caller (BazelBuild, Doctor, the host probe's facts, the release
/// table). A version is read whole, pre-release included (`bazel 6.0.0-pre.20220414.2` is 6.0.0-pre.20220414.2,
/// never 20220414.2), and compared as a semantic version, so 7.4.1 and 7.4.01 are the same release and a
/// pre-release sorts before its release.
/// </summary>
public static partial class BazelVersion
{
    /// <summary>"bazel 7.4.1" (or "Build label: 7.4.1") -> 7.4.1; "bazel no_version" (a source build such as Debian's) -> null.</summary>
    public static string? FromVersionOutput(string output)
    {
        var m = VersionLine().Match(output);
        return m.Success ? m.Groups["v"].Value : null;
    }

    /// <summary>A Debian package version (4.2.3+ds-9, 1:4.2.3-1) -> the upstream release (4.2.3).</summary>
    public static string? FromPackageVersion(string packageVersion)
    {
        var m = PackageVersion().Match(packageVersion.Trim());
        return m.Success ? m.Groups["v"].Value : null;
    }

    /// <summary>Whether the text is a Bazel release version: 7.4.1, 6.0.0-pre.20220414.2, 7.0.0rc2 (Bazel's own spelling).</summary>
    public static bool IsVersion(string text) => VersionText().IsMatch(text);

    /// <summary>Semantic equality; falls back to exact text when either side is not a semantic version.</summary>
    public static bool AreSame(string a, string b) =>
        TryParse(a) is { } x && TryParse(b) is { } y ? VersionComparer.VersionRelease.Equals(x, y) : string.Equals(a, b, StringComparison.Ordinal);

    /// <summary>Whether <paramref name="version"/> is an older release than <paramref name="than"/> (semantic order).</summary>
    public static bool IsBefore(string version, string than) =>
        TryParse(version) is { } v && TryParse(than) is { } t
            ? VersionComparer.VersionRelease.Compare(v, t) < 0
            : throw new BazelVersionFileException($"'{version}' is not a Bazel version; write one like 7.4.1");

    /// <summary>The version as NuGet.Versioning reads it; Bazel's 7.0.0rc2 spelling is read as 7.0.0-rc2.</summary>
    public static NuGetVersion? TryParse(string version)
    {
        var text = RcWithoutDash().Replace(version.Trim(), "$1-$2");
        return NuGetVersion.TryParse(text, out var parsed) ? parsed : null;
    }

    [GeneratedRegex(@"^(?:bazel|Build label:)\s+(?<v>\d+\.\d+\.\d+[-+.0-9A-Za-z]*)", RegexOptions.Multiline)]
    private static partial Regex VersionLine();

    [GeneratedRegex(@"^(?:\d+:)?(?<v>\d+\.\d+\.\d+)")]
    private static partial Regex PackageVersion();

    /// <summary>What <see cref="IsVersion"/> accepts; the host script checks versions with the same pattern.</summary>
    public const string VersionPattern = @"^\d+\.\d+\.\d+(?:(?:[-.]|rc)[0-9A-Za-z.]+)?$";

    [GeneratedRegex(VersionPattern)]
    private static partial Regex VersionText();

    [GeneratedRegex(@"^(\d+\.\d+\.\d+)(rc\d+)$")]
    private static partial Regex RcWithoutDash();
}
