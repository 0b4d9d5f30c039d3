using ServingBuild.Provision;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Provision;

/// <summary>
/// The emitted CentOS 7 script's Bazel step for real: a 0.5.1-shaped checkout (installer era) and a 2.20.0-shaped one
/// (plain binary), --bazel-mirror on a loopback nginx serving a release folder made from Debian's Bazel, real curl,
/// sha256sum and bash; only yum and rpm are the recording stand-ins (no CentOS 7 here), and the dead mirrorlist
/// answers as it does today, not at all.
/// </summary>
[Trait("Category", "Integration")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BazelMirrorScriptTests(ITestOutputHelper output) : IDisposable
{
    // Real curl for everything but the mirrorlist, which no longer answers (and this machine has no network).
    private const string Curl = """
        #!/usr/bin/env bash
        for arg in "$@"; do
          case "$arg" in *mirrorlist.centos.org*) echo "curl: (6) Could not resolve host: mirrorlist.centos.org" >&2; exit 6 ;; esac
        done
        exec /usr/bin/curl "$@"
        """;

    private readonly TempDir _dir = new("sb-c7m");

    public static TheoryData<string, string, bool> Eras => new()
    {
        // version, asset, NeedsModernCompiler (serving 2.x: devtoolset)
        { "0.5.1", "bazel-0.5.1-installer-linux-x86_64.sh", false },
        { "7.4.1", "bazel-7.4.1-linux-x86_64", true },
    };

    [Theory]
    [MemberData(nameof(Eras))]
    public async Task The_script_installs_the_pinned_Bazel_from_the_mirror_and_a_second_run_changes_nothing(string version, string asset, bool modern)
    {
        var releases = new BazelReleaseFolder(_dir.Combine("releases"));
        releases.Publish(version);
        await using var mirror = await LoopbackFileServer.StartAsync(releases.Root, output);
        var plan = CentOs7Plan.Create(new PlanInputs { Profile = PlanProfile.Build, WantedBazel = version, NeedsModernCompiler = modern, BazelMirror = mirror.BaseUrl });
        var script = _dir.Combine("provision.sh");
        ProvisionScript.Write(plan, script);

        var shellcheck = await Runner().RunAsync(new ProcessSpec(Require.Program("shellcheck", "shellcheck"), "--shell=bash", "--severity=style", script));
        Assert.True(shellcheck.Succeeded, shellcheck.StandardOutput);

        var first = await RunAsync(script);
        Assert.True(first.Succeeded, first.StandardError);
        var dir = Path.Combine(SysRoot, "opt", "servingbuild", "bazel", version);
        var binary = Path.Combine(dir, "bin", "bazel");
        Assert.Contains($"{asset}: OK (SHA-256", first.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"GET /{version}/{asset} HTTP/1.1\" 200", string.Join('\n', mirror.AccessLog()), StringComparison.Ordinal);
        Assert.Contains($"sha256=", File.ReadAllText(Path.Combine(dir, ".servingbuild-bazel")), StringComparison.Ordinal);
        Assert.Contains($"note: Bazel {version} is in /opt/servingbuild/bazel/{version}/bin (not on PATH)", first.StandardOutput, StringComparison.Ordinal);
        if (!modern)
        {
            Assert.Contains($"note: Bazel {version} runs on JDK 8", first.StandardOutput, StringComparison.Ordinal);
        }

        // Never over a system Bazel: nothing outside the per-version folder.
        Assert.False(Path.Exists(Path.Combine(SysRoot, "usr", "local", "bin", "bazel")));
        Assert.Empty(Directory.GetDirectories(_dir.Combine("tmp")));

        var real = await Runner().RunAsync(new ProcessSpec(releases.RealBazel, "--version"));
        var installed = await Runner().RunAsync(new ProcessSpec(binary, "--version"));
        Assert.True(installed.Succeeded, installed.StandardError);
        Assert.Equal(BazelReleaseFolder.VersionLine(real.StandardOutput), BazelReleaseFolder.VersionLine(installed.StandardOutput));

        var requests = mirror.AccessLog().Length;
        var second = await RunAsync(script);
        Assert.True(second.Succeeded, second.StandardError);
        Assert.Contains("skip  bazel: already satisfied", second.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("] run ", second.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(requests, mirror.AccessLog().Length);
    }

    [Fact]
    public async Task A_wrong_checksum_on_the_mirror_stops_the_script_with_nothing_installed()
    {
        var releases = new BazelReleaseFolder(_dir.Combine("releases"));
        releases.Publish("7.4.1", wrongChecksum: true);
        await using var mirror = await LoopbackFileServer.StartAsync(releases.Root, output);
        var script = _dir.Combine("provision.sh");
        ProvisionScript.Write(CentOs7Plan.Create(CentOs7PlanTests.Serving2200 with { BazelMirror = mirror.BaseUrl }), script);

        var run = await RunAsync(script);
        Assert.False(run.Succeeded);
        Assert.Contains("error: bazel-7.4.1-linux-x86_64: SHA-256", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("error: provision step bazel failed", run.StandardError, StringComparison.Ordinal);
        Assert.False(Path.Exists(Path.Combine(SysRoot, "opt", "servingbuild", "bazel", "7.4.1")));
        Assert.Empty(Directory.GetDirectories(_dir.Combine("tmp")));
    }

    [Fact]
    public async Task Emit_script_takes_the_mirror_and_the_pin_from_a_sparse_checkouts_WORKSPACE()
    {
        _dir.Write("serving/WORKSPACE", "workspace(name = \"tf_serving\")\ncheck_version(\"0.4.2\")\n");
        var script = _dir.Combine("emitted.sh");
        var options = ServingBuild.Options.OptionsParser.Parse(
            ["--serving-dir=" + _dir.Combine("serving"), "--emit-script=" + script, "--bazel-mirror=http://127.0.0.1:9/bazel/"], TestPaths.Toolkit);

        Assert.Equal(ExitCodes.Ok, await new ProvisionStage().RunAsync(new StageContext(options, TestPaths.Toolkit, Require.Log(output)), CancellationToken.None));
        var text = File.ReadAllText(script);
        Assert.Contains("http://127.0.0.1:9/bazel/0.4.2/bazel-0.4.2-installer-linux-x86_64.sh.sha256", text, StringComparison.Ordinal);
        Assert.DoesNotContain("github.com", text, StringComparison.Ordinal);
        Assert.DoesNotContain("devtoolset", text, StringComparison.Ordinal);
    }

    private string SysRoot => _dir.Combine("sysroot");

    private ProcessRunner Runner() => new(Require.Log(output));

    private async Task<ProcessResult> RunAsync(string script)
    {
        if (!File.Exists(_dir.Combine("bin", "yum")))
        {
            _dir.Write("sysroot/etc/os-release", "NAME=\"CentOS Linux\"\nID=\"centos\"\nID_LIKE=\"rhel fedora\"\nVERSION_ID=\"7\"\n");
            _dir.Write("sysroot/etc/yum.repos.d/CentOS-Base.repo", "[base]\nmirrorlist=http://mirrorlist.centos.org/?release=$releasever&arch=$basearch&repo=os\n");
            Directory.CreateDirectory(_dir.Combine("state"));
            Directory.CreateDirectory(_dir.Combine("tmp"));
            foreach (var (name, body) in new[] { ("rpm", CentOs7ScriptTests.Rpm), ("yum", CentOs7ScriptTests.Yum), ("curl", Curl) })
            {
                File.SetUnixFileMode(_dir.Write("bin/" + name, body + "\n"), (UnixFileMode)0b111_101_101);
            }
        }

        var result = await Runner().RunAsync(new ProcessSpec("bash", script)
        {
            Environment = new Dictionary<string, string?>
            {
                ["PATH"] = _dir.Combine("bin") + ":" + Environment.GetEnvironmentVariable("PATH"),
                ["SERVINGBUILD_SYSROOT"] = SysRoot,
                ["STANDIN_STATE"] = _dir.Combine("state"),
                ["TMPDIR"] = _dir.Combine("tmp"),
            },
            Timeout = TimeSpan.FromMinutes(3),
        });
        output.WriteLine(result.StandardOutput + result.StandardError);
        return result;
    }

    public void Dispose() => _dir.Dispose();
}
