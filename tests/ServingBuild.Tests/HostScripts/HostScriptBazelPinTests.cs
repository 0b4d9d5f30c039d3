using ServingBuild.BazelBuild;
using ServingBuild.HostScripts;
using ServingBuild.Processes;
using ServingBuild.Provision;
using ServingBuild.Tasks;
using ServingBuild.Tests.BazelBuild;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.HostScripts;

/// <summary>
/// The host script's Bazel step and pin reader are the C#'s: the generated bash, run with real bash, picks for every
/// pinned version (and pre-releases at the boundaries) exactly the step BazelInstallStep writes for it, with the
/// mirror in place of GitHub, and reads the pin from the same file, line and form as WantedBazelVersion, failing with
/// the same message.
/// </summary>
[Trait("Category", "Integration")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HostScriptBazelPinTests : IDisposable
{
    private const string Mirror = "http://127.0.0.1:8080/bazel-mirror";
    private readonly string _temp = Directory.CreateTempSubdirectory("sb-hostpin-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    // The same helpers as the host script's prelude, enough for the generated functions to run.
    private const string Harness = """
        set -euo pipefail
        trim() {
          local s="$1"
          s="${s#"${s%%[![:space:]]*}"}"
          s="${s%"${s##*[![:space:]]}"}"
          printf '%s' "$s"
        }
        fail() { printf '%s\n' "$2" >&2; exit "$1"; }

        """;

    private static async Task<ProcessResult> BashAsync(string script) =>
        await new ProcessRunner(TaskLog.Null).RunAsync(new ProcessSpec("bash", "-c", script) { Timeout = TimeSpan.FromMinutes(2) });

    public static TheoryData<string> Versions()
    {
        var data = new TheoryData<string>();
        foreach (var row in BazelReleaseTableTests.Pins)
        {
            data.Add((string)row[0]);
        }

        // Around each boundary: a pre-release of it comes before it (BazelVersion.IsBefore), a 4th number after.
        foreach (var v in new[] { "0.17.2", "0.18.0-pre.20180101", "0.18.0rc3", "0.18.0", "0.18.0.1", "0.26.0", "1.0.0rc1", "1.0.0", "8.0.0-pre.20240101.1", "10.0.0" })
        {
            data.Add(v);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task The_host_scripts_Bazel_step_for_a_version_is_the_one_BazelInstallStep_writes(string version)
    {
        var expected = BazelInstallStep.For(version, "x86_64", Mirror);
        var script = Harness + HostScriptProvision.BazelChoice() + $$"""
            wanted={{ShellQuote.Quote(version)}}
            bazel_mirror={{ShellQuote.Quote(Mirror)}}
            shape="$(bazel_shape_of "$wanted")"
            placeholder="$(bazel_placeholder "$shape")"
            code="$(bazel_template "$shape")"
            code=${code//"$placeholder"/"$wanted"}
            code=${code//"$release_base"/"$bazel_mirror"}
            # The template as $(...) returns it: without its last newline.
            printf '%s\n' "$code"
            eval "$code"
            printf '%s\n' "--- $bazel_description" "--- $bazel_check_head"
            """;
        var result = await BashAsync(script);
        Assert.True(result.Succeeded, result.StandardError);
        Assert.Equal(
            HostScriptProvision.StepFunctions(expected, "bazel")
                + $"bazel_description={BashText.Single(expected.Description)}\nbazel_check_head={BashText.Single(expected.Check.Split('\n')[0])}\n"
                + $"--- {expected.Description}\n--- {expected.Check.Split('\n')[0]}\n",
            result.StandardOutput);
    }

    public static TheoryData<string, string> Checkouts => new()
    {
        { ".bazelversion", "# pinned\n\n 6.5.0 \n" },
        { ".bazelversion", "not-a-version\n" },
        { "tensorflow_serving/tools/docker/Dockerfile.devel", "FROM ubuntu\nenv BAZEL_VERSION 0.24.1\n" },
        { "tensorflow_serving/tools/docker/Dockerfile.devel", "FROM ubuntu\nENV BAZEL_VERSION=\"7.4.1\"\n" },
        { "tensorflow_serving/tools/docker/Dockerfile.devel", "ENV BAZEL_VERSION=latest\n" },
        { "WORKSPACE", "workspace(name = \"tf_serving\")\n# check_version(\"9.9.9\")\nload(\"//tensorflow:workspace.bzl\", \"check_version\")\ncheck_version(\"0.4.2\")\n" },
        { "WORKSPACE", "check_bazel_version_at_least(\"0.24.1\")\n" },
        { "WORKSPACE", "versions.check(minimum_bazel_version = '7.4.1')\n" },
        { "WORKSPACE", "my_check_version(\"1.2.3\")\nversions.check(\"7.4.1\")\n" },
        { "WORKSPACE", "versions.check(\"\")\n" },
        { "WORKSPACE", "workspace(name = \"nothing_pinned\")\n" },
    };

    [Theory]
    [MemberData(nameof(Checkouts))]
    public async Task The_host_script_reads_the_pin_where_WantedBazelVersion_does_with_its_messages(string file, string text)
    {
        var serving = Path.Combine(_temp, "serving");
        var path = Path.Combine(serving, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);

        string expected;
        var expectedCode = 0;
        try
        {
            var wanted = WantedBazelVersion.Read(serving);
            expected = wanted is null ? "none\n" : $"{wanted.Version}|{wanted.Source}\n";
        }
        catch (ToolkitException ex)
        {
            expected = ex.Message + "\n";
            expectedCode = ex.ExitCode;
        }

        var render = HostScript.Render();
        var start = render.IndexOf("# The version the checkout pins", StringComparison.Ordinal);
        var end = render.IndexOf("\n}\n", render.IndexOf("read_wanted() {", start, StringComparison.Ordinal), StringComparison.Ordinal) + 3;
        var script = Harness + render[start..end] + $$"""
            serving_dir={{ShellQuote.Quote(serving)}}
            read_wanted
            if [ -z "$wanted" ]; then echo none; else printf '%s|%s\n' "$wanted" "$wanted_source"; fi
            """;
        var result = await BashAsync(script);
        Assert.Equal(expectedCode, result.ExitCode);
        Assert.Equal(expected, expectedCode == 0 ? result.StandardOutput : result.StandardError);
    }
}
