using System.Text.RegularExpressions;

namespace ServingBuild.BazelBuild;

/// <summary>
/// The Bazel version a checkout pins, and where: .bazelversion (Bazelisk's file, which wins when present),
/// then ENV BAZEL_VERSION in tensorflow_serving/tools/docker/Dockerfile.devel (where upstream pins it), then the
/// WORKSPACE's own check (check_version("0.4.2") in 0.5.x, check_bazel_version_at_least("0.24.1") in 1.x and 2.x,
/// versions.check("7.4.1") later), so a sparse checkout without the Dockerfile still gets its Bazel.
/// <see cref="Source"/> names the file and line, for Doctor and BazelBuild to say.
/// </summary>
public sealed partial record WantedBazelVersion(string Version, string Source)
{
    public const string DockerfileRelative = "tensorflow_serving/tools/docker/Dockerfile.devel";

    /// <summary>Null when the checkout pins nothing.</summary>
    public static WantedBazelVersion? Read(string servingDir)
    {
        var bazelversion = Path.Combine(servingDir, ".bazelversion");
        if (File.Exists(bazelversion))
        {
            var lines = File.ReadAllLines(bazelversion);
            for (var i = 0; i < lines.Length; i++)
            {
                var text = lines[i].Trim();
                if (text.Length == 0 || text.StartsWith('#'))
                {
                    continue;
                }

                if (!BazelVersion.IsVersion(text))
                {
                    throw new BazelVersionFileException(NotAVersionInBazelversion($"{bazelversion}:{i + 1}", text));
                }

                return new WantedBazelVersion(text, bazelversion);
            }
        }

        var dockerfile = Path.Combine(servingDir, DockerfileRelative);
        if (File.Exists(dockerfile))
        {
            var lines = File.ReadAllLines(dockerfile);
            for (var i = 0; i < lines.Length; i++)
            {
                var m = EnvLine().Match(lines[i]);
                if (!m.Success)
                {
                    continue;
                }

                var value = m.Groups["v"].Value.Trim('"', '\'');
                if (!BazelVersion.IsVersion(value))
                {
                    throw new BazelVersionFileException(NotAVersionInDockerfile($"{dockerfile}:{i + 1}", value));
                }

                return new WantedBazelVersion(value, $"{dockerfile}:{i + 1}");
            }
        }

        var workspace = Path.Combine(servingDir, "WORKSPACE");
        if (File.Exists(workspace))
        {
            var lines = File.ReadAllLines(workspace);
            for (var i = 0; i < lines.Length; i++)
            {
                var code = lines[i].Split('#', 2)[0];
                var m = WorkspaceCheck().Match(code);
                if (!m.Success)
                {
                    continue;
                }

                var value = m.Groups["v"].Value;
                if (!BazelVersion.IsVersion(value))
                {
                    throw new BazelVersionFileException(NotAVersionInWorkspace($"{workspace}:{i + 1}", m.Groups["call"].Value, value));
                }

                return new WantedBazelVersion(value, WorkspaceSource($"{workspace}:{i + 1}", m.Groups["call"].Value));
            }
        }

        return null;
    }

    /// <summary>Where a checkout may pin its Bazel, in the order they are read: for messages that say none was found.</summary>
    public const string Places = ".bazelversion, ENV BAZEL_VERSION in " + DockerfileRelative + ", or a check_version/check_bazel_version_at_least/versions.check call in WORKSPACE";

    /// <summary>
    /// Serving 1.x pinned Bazel 0.x and built with CentOS 7's gcc; every 2.x release pins Bazel 1 or later and needs
    /// C++14/17 (devtoolset on CentOS 7). Unknown counts as current upstream.
    /// </summary>
    public static bool NeedsModernCompiler(string? wantedVersion) =>
        wantedVersion is null || !wantedVersion.StartsWith("0.", StringComparison.Ordinal);

    // The messages and the WORKSPACE source, shared with the host script (scripts/host/servingbuild-host.sh).
    internal static string NotAVersionInBazelversion(string where, string text) => $"{where}: '{text}' is not a Bazel version; write one like 7.4.1";

    internal static string NotAVersionInDockerfile(string where, string value) => $"{where}: BAZEL_VERSION '{value}' is not a Bazel version; write one like ENV BAZEL_VERSION=7.4.1";

    internal static string NotAVersionInWorkspace(string where, string call, string value) => $"{where}: {call}(\"{value}\") names no Bazel version; pin one in .bazelversion (e.g. 7.4.1)";

    internal static string WorkspaceSource(string where, string call) => $"{where} ({call})";

    /// <summary>Both Dockerfile forms: `ENV BAZEL_VERSION=7.4.1` and the older `ENV BAZEL_VERSION 0.24.1` (case-insensitive).</summary>
    internal const string EnvPattern = @"^\s*ENV\s+BAZEL_VERSION(?:\s*=\s*|\s+)(?<v>\S+)";

    /// <summary>The WORKSPACE checks, matched in a line's code (before any '#').</summary>
    internal const string WorkspaceCheckPattern = @"\b(?<call>check_version|check_bazel_version_at_least|versions\.check)\(\s*(?:minimum_bazel_version\s*=\s*)?[""'](?<v>[^""']*)[""']";

    [GeneratedRegex(EnvPattern, RegexOptions.IgnoreCase)]
    private static partial Regex EnvLine();

    // check_version("0.4.2") (serving 0.5.x), check_bazel_version_at_least("0.24.1") (1.x, 2.x), versions.check("7.4.1")
    // or versions.check(minimum_bazel_version = "7.4.1") (bazel_skylib).
    [GeneratedRegex(WorkspaceCheckPattern)]
    private static partial Regex WorkspaceCheck();
}
