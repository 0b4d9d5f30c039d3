using System.Text.RegularExpressions;

namespace ServingBuild.Provisioning;

/// <summary>
/// The Bazel version a serving checkout wants: .bazelversion when present (what Bazelisk reads), else
/// `ENV BAZEL_VERSION` in tensorflow_serving/tools/docker/Dockerfile.devel (7.4.1 at 2.20.0, which has no
/// .bazelversion). Kept in this one small file: the BazelBuild stage reads the same thing and they are to be unified.
/// </summary>
public static partial class WantedBazel
{
    public sealed record Answer(string Version, string Source);

    public static Answer? Read(string servingDir)
    {
        var bazelversion = Path.Combine(servingDir, ".bazelversion");
        if (File.Exists(bazelversion))
        {
            var first = File.ReadLines(bazelversion).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#'));
            if (first is not null)
            {
                return new Answer(first, bazelversion);
            }
        }

        var dockerfile = Path.Combine(servingDir, "tensorflow_serving", "tools", "docker", "Dockerfile.devel");
        if (File.Exists(dockerfile))
        {
            foreach (var line in File.ReadLines(dockerfile))
            {
                var m = EnvBazelVersion().Match(line);
                if (m.Success)
                {
                    return new Answer(m.Groups[1].Value, dockerfile);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Serving 1.x pinned Bazel 0.x and built with CentOS 7's gcc; every 2.x release pins Bazel 1 or later and needs
    /// C++14/17. Unknown counts as current upstream.
    /// </summary>
    public static bool NeedsModernCompiler(string? wantedVersion) =>
        wantedVersion is null || !wantedVersion.StartsWith("0.", StringComparison.Ordinal);

    // ENV BAZEL_VERSION 7.4.1   |   ENV BAZEL_VERSION=7.4.1   |   ENV BAZEL_VERSION="7.4.1"
    [GeneratedRegex(@"^\s*ENV\s+BAZEL_VERSION[\s=]+""?([0-9][0-9A-Za-z.\-]*)""?\s*$")]
    private static partial Regex EnvBazelVersion();
}
