using System.Text.RegularExpressions;

namespace ServingBuild.BazelBuild;

/// <summary>
/// The Bazel version a checkout pins, and where: .bazelversion (Bazelisk's file, which wins when present)
/// or ENV BAZEL_VERSION in tensorflow_serving/tools/docker/Dockerfile.devel (where upstream pins it).
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

                if (!VersionText().IsMatch(text))
                {
                    throw new BazelVersionFileException($"{bazelversion}:{i + 1}: '{text}' is not a Bazel version; write one like 7.4.1");
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
                if (!VersionText().IsMatch(value))
                {
                    throw new BazelVersionFileException($"{dockerfile}:{i + 1}: BAZEL_VERSION '{value}' is not a Bazel version; write one like ENV BAZEL_VERSION=7.4.1");
                }

                return new WantedBazelVersion(value, $"{dockerfile}:{i + 1}");
            }
        }

        return null;
    }

    /// <summary>
    /// Serving 1.x pinned Bazel 0.x and built with CentOS 7's gcc; every 2.x release pins Bazel 1 or later and needs
    /// C++14/17 (devtoolset on CentOS 7). Unknown counts as current upstream.
    /// </summary>
    public static bool NeedsModernCompiler(string? wantedVersion) =>
        wantedVersion is null || !wantedVersion.StartsWith("0.", StringComparison.Ordinal);

    // Both Dockerfile forms: `ENV BAZEL_VERSION=7.4.1` and the older `ENV BAZEL_VERSION 0.24.1`.
    [GeneratedRegex(@"^\s*ENV\s+BAZEL_VERSION(?:\s*=\s*|\s+)(?<v>\S+)", RegexOptions.IgnoreCase)]
    private static partial Regex EnvLine();

    [GeneratedRegex(@"^\d+\.\d+\.\d+([-.][0-9A-Za-z.]+)?$")]
    private static partial Regex VersionText();
}
