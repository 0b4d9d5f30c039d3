using System.Text.RegularExpressions;
using ServingBuild.Processes;

namespace ServingBuild.Tests.Support;

/// <summary>
/// The Bazel on this host as the shell sees it (`command -v bazel`, `bazel --version`, and for a packaged
/// no_version build dpkg's version of its package), asked without the toolkit's code, so tests compare the
/// toolkit's answer with the host's instead of pinning "4.2.3" or "/usr/bin/bazel".
/// </summary>
public static partial class HostBazel
{
    private const string Script = """
        set -e
        bin="$(command -v bazel)"
        echo "$bin"
        line="$("$bin" --version | head -n 1)"
        case "$line" in
          *no_version*) dpkg-query -W -f='${Version}\n' "$(dpkg-query -S "$(readlink -f "$bin")" | cut -d: -f1)" ;;
          *) echo "${line#bazel }" ;;
        esac
        """;

    public static async Task<(string Path, string Version)> ReadAsync(ITestOutputHelper? output = null)
    {
        Require.Program("bazel", "bazel-bootstrap");
        var result = await new ProcessRunner(Require.Log(output)).RunAsync(new ProcessSpec("bash", "-c", Script) { Timeout = TimeSpan.FromMinutes(2) });
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(result.Succeeded && lines.Length == 2, $"cannot read this host's Bazel: {result.StandardError}");
        // A Debian package version (4.2.3+ds-9, 1:4.2.3-1) names the upstream release in its middle.
        var release = Release().Match(lines[1]);
        Assert.True(release.Success, $"this host's Bazel version '{lines[1]}' has no x.y.z in it");
        return (lines[0], release.Groups["v"].Value);
    }

    [GeneratedRegex(@"^(?:\d+:)?(?<v>\d+\.\d+\.\d+[^+~\s]*?)(?:[+~-]ds.*|-\d+.*)?$")]
    private static partial Regex Release();
}
