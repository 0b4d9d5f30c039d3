using ServingBuild.BazelBuild;
using ServingBuild.Provision;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Provision;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.HostScripts;

/// <summary>
/// Provision through ./build.sh on a host where .NET cannot start, against the recording yum, rpm and curl stand-ins
/// of <see cref="CentOs7ScriptTests"/> with SERVINGBUILD_SYSROOT standing in for /: the same calls and the same step
/// lines as the emitted CentOS 7 script (ProvisionScript) for the same checkout, and nothing on a second run.
/// </summary>
[Trait("Category", "Integration")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HostPathProvisionTests(ITestOutputHelper output) : IDisposable
{
    private const string Mirror = "http://mirror.invalid/bazel";
    private readonly HostPathToolkit _toolkit = new();

    public void Dispose() => _toolkit.Dispose();

    private sealed record Host(string SysRoot, string State, string Tmp, string Bin);

    private Host Arrange(string name)
    {
        var host = new Host(_toolkit.Temp(name + "/sysroot"), _toolkit.Temp(name + "/state"), _toolkit.Temp(name + "/tmp"), _toolkit.Temp(name + "/bin"));
        _toolkit.Write(name + "/sysroot/etc/os-release", "NAME=\"CentOS Linux\"\nVERSION=\"7 (Core)\"\nID=\"centos\"\nID_LIKE=\"rhel fedora\"\nVERSION_ID=\"7\"\nPRETTY_NAME=\"CentOS Linux 7 (Core)\"\n");
        _toolkit.Write(name + "/sysroot/etc/yum.repos.d/CentOS-Base.repo", CentOs7ScriptTests.OriginalBaseRepo);
        Directory.CreateDirectory(Path.Combine(host.SysRoot, "usr", "include"));
        File.WriteAllText(Path.Combine(host.State, "calls.log"), "");

        // The stand-in curl also serves the mirror, laid out as GitHub's releases.
        var curl = CentOs7ScriptTests.Curl.Replace("https://github.com/bazelbuild/bazel/releases/download/*)", $"https://github.com/bazelbuild/bazel/releases/download/*|{Mirror}/*)", StringComparison.Ordinal);
        foreach (var (file, body) in new[] { ("rpm", CentOs7ScriptTests.Rpm), ("yum", CentOs7ScriptTests.Yum), ("curl", curl) })
        {
            File.SetUnixFileMode(_toolkit.Write($"{name}/bin/{file}", body + "\n"), (UnixFileMode)0b111_101_101);
        }

        return host;
    }

    private Dictionary<string, string?> Env(Host host) => new()
    {
        ["PATH"] = _toolkit.HostPath(host.Bin),
        ["SERVINGBUILD_SYSROOT"] = host.SysRoot,
        ["STANDIN_STATE"] = host.State,
        ["TMPDIR"] = host.Tmp,
    };

    private string Checkout()
    {
        _toolkit.Write("checkout/WORKSPACE", "workspace(name = \"tf_serving\")\n");
        _toolkit.Write("checkout/tensorflow_serving/tools/docker/Dockerfile.devel", "FROM ubuntu:22.04\nENV BAZEL_VERSION=7.4.1\n");
        return _toolkit.Temp("checkout");
    }

    private static string[] Calls(Host host)
    {
        var lines = File.ReadAllLines(Path.Combine(host.State, "calls.log"));
        File.WriteAllText(Path.Combine(host.State, "calls.log"), "");
        return lines;
    }

    private static IEnumerable<string> StepLines(string text) =>
        HostPathToolkit.Lines(text).Where(l => l.StartsWith('[') && l.Contains("] ", StringComparison.Ordinal));

    [Fact]
    public async Task Provision_runs_the_CentOS_7_plan_through_yum_and_rpm_as_the_emitted_script_does_and_a_second_run_changes_nothing()
    {
        Assert.True(Require.IsRoot, "Provision's plan needs root; the tests run as root (./build.sh --target=Test)");
        var checkout = Checkout();
        var host = Arrange("host");
        var first = await _toolkit.BuildShAsync(output, Env(host), "--target=Provision", $"--serving-dir={checkout}", $"--bazel-mirror={Mirror}/");
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(
        [
            "curl http://mirrorlist.centos.org/?release=7&arch=x86_64&repo=os",
            "yum clean all",
            "rpm -q bzip2", "yum install -y bzip2", "rpm -q bzip2",
            "rpm -q PyQt4", "yum install -y PyQt4", "rpm -q PyQt4",
            $"rpm -q {CentOs7ScriptTests.BuildPackages}", $"yum install -y {CentOs7ScriptTests.BuildPackages}", $"rpm -q {CentOs7ScriptTests.BuildPackages}",
            "rpm -q centos-release-scl", "yum install -y centos-release-scl", "rpm -q centos-release-scl",
            "curl http://mirrorlist.centos.org/?release=7&arch=x86_64&repo=sclo-rh",
            "yum clean all", "yum clean all",
            $"rpm -q {CentOs7ScriptTests.Devtoolset}", $"yum install -y {CentOs7ScriptTests.Devtoolset}", $"rpm -q {CentOs7ScriptTests.Devtoolset}",
            $"curl {Mirror}/7.4.1/bazel-7.4.1-linux-x86_64",
            $"curl {Mirror}/7.4.1/bazel-7.4.1-linux-x86_64.sha256",
        ], Calls(host));
        Assert.Contains("plan: CentOS 7, vault 7.9.2009, devtoolset-11, Bazel 7.4.1 (9 steps)", first.StandardOutput);
        Assert.Contains("provisioned this machine: 9 step(s) ran, 0 already satisfied", first.StandardOutput);
        Assert.Contains("note: build with devtoolset's compiler", first.StandardOutput);
        // BazelInstallStep's per-version folder and marker, from the mirror.
        Assert.Equal("#!/bin/sh\necho \"bazel 7.4.1\"\n", File.ReadAllText(Path.Combine(host.SysRoot, "opt", "servingbuild", "bazel", "7.4.1", "bin", "bazel")));
        Assert.Contains($"from={Mirror}/7.4.1/bazel-7.4.1-linux-x86_64", File.ReadAllText(Path.Combine(host.SysRoot, "opt", "servingbuild", "bazel", "7.4.1", BazelInstaller.MarkerName)));
        Assert.Equal(0, new FileInfo(Path.Combine(host.SysRoot, "usr", "include", "stropts.h")).Length);
        Assert.Empty(Directory.GetFileSystemEntries(host.Tmp));

        // The emitted script for the same checkout, on a fresh host: the same steps, described in the same words.
        var script = Arrange("script");
        var path = Path.Combine(_toolkit.Temp("emitted"), "provision.sh");
        ProvisionScript.Write(CentOs7Plan.Create(CentOs7PlanTests.Serving2200), path);
        var emitted = await new ProcessRunner(TaskLog.Null).RunAsync(new ProcessSpec("bash", path) { Environment = Env(script), Timeout = TimeSpan.FromMinutes(2) });
        output.WriteLine(emitted.StandardOutput + emitted.StandardError);
        Assert.True(emitted.Succeeded, emitted.StandardError);
        Assert.Equal(StepLines(emitted.StandardOutput), StepLines(first.StandardOutput));

        var second = await _toolkit.BuildShAsync(output, Env(host), "--target=Provision", $"--serving-dir={checkout}", $"--bazel-mirror={Mirror}");
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(["rpm -q bzip2", "rpm -q PyQt4", $"rpm -q {CentOs7ScriptTests.BuildPackages}", "rpm -q centos-release-scl", $"rpm -q {CentOs7ScriptTests.Devtoolset}"], Calls(host));
        Assert.Contains("provisioned this machine: 0 step(s) ran, 9 already satisfied", second.StandardOutput);
    }

    public static TheoryData<string, string, string, string> Eras => new()
    {
        // version, the checkout file that pins it, its text, the asset BazelRelease chooses
        { "0.5.1", "WORKSPACE", "workspace(name = \"tf_serving\")\ncheck_version(\"0.5.1\")\n", "bazel-0.5.1-installer-linux-x86_64.sh" },
        { "7.4.1", "tensorflow_serving/tools/docker/Dockerfile.devel", "FROM ubuntu:22.04\nENV BAZEL_VERSION=7.4.1\n", "bazel-7.4.1-linux-x86_64" },
    };

    [Theory]
    [MemberData(nameof(Eras))]
    public async Task Provision_installs_each_eras_pinned_Bazel_from_a_loopback_mirror_as_BazelInstallStep_does(string version, string file, string text, string asset)
    {
        Assert.True(Require.IsRoot, "Provision's plan needs root; the tests run as root (./build.sh --target=Test)");
        var releases = new BazelReleaseFolder(_toolkit.Temp("releases"));
        releases.Publish(version);
        await using var mirror = await LoopbackFileServer.StartAsync(releases.Root, output);
        _toolkit.Write("checkout/" + file, text);
        var checkout = _toolkit.Temp("checkout");
        var host = Arrange("host");

        // Real curl against the mirror; only the dead mirrorlist is answered by the stand-in.
        File.SetUnixFileMode(_toolkit.Write("host/bin/curl", "#!/usr/bin/env bash\nfor a in \"$@\"; do case \"$a\" in *mirrorlist.centos.org*) exit 6 ;; esac; done\nexec /usr/bin/curl \"$@\"\n"), (UnixFileMode)0b111_101_101);
        var run = await _toolkit.BuildShAsync(output, Env(host), "--target=Provision", $"--serving-dir={checkout}", $"--bazel-mirror={mirror.BaseUrl}/");
        Assert.Equal(0, run.ExitCode);

        // The plan's steps as the C# plan for the same checkout has them, the Bazel one in its words.
        var plan = CentOs7Plan.Create(new PlanInputs { WantedBazel = version, NeedsModernCompiler = WantedBazelVersion.NeedsModernCompiler(version), BazelMirror = mirror.BaseUrl });
        var bazelStep = plan.Steps.Single(st => st.Id == "bazel");
        Assert.Contains($"[{plan.Steps.Count}/{plan.Steps.Count}] run   bazel: {bazelStep.Description}", run.StandardOutput);
        Assert.Contains($"plan: {plan.Name} ({plan.Steps.Count} steps)", run.StandardOutput);
        foreach (var note in plan.Notes)
        {
            Assert.Contains("note: " + note, run.StandardOutput);
        }

        Assert.Contains($"{asset}: OK (SHA-256", run.StandardOutput);
        Assert.Contains($"GET /{version}/{asset} HTTP/1.1\" 200", string.Join('\n', mirror.AccessLog()));
        var dir = Path.Combine(host.SysRoot, "opt", "servingbuild", "bazel", version);
        Assert.Contains($"from={mirror.BaseUrl}/{version}/{asset}", File.ReadAllText(Path.Combine(dir, BazelInstaller.MarkerName)));
        var real = await new ProcessRunner(TaskLog.Null).RunAsync(new ProcessSpec(releases.RealBazel, "--version"));
        var installed = await new ProcessRunner(TaskLog.Null).RunAsync(new ProcessSpec(Path.Combine(dir, "bin", "bazel"), "--version"));
        Assert.Equal(BazelReleaseFolder.VersionLine(real.StandardOutput), BazelReleaseFolder.VersionLine(installed.StandardOutput));
        Assert.False(Path.Exists(Path.Combine(host.SysRoot, "usr", "local", "bin", "bazel")));

        var requests = mirror.AccessLog().Length;
        var second = await _toolkit.BuildShAsync(output, Env(host), "--target=Provision", $"--serving-dir={checkout}", $"--bazel-mirror={mirror.BaseUrl}");
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("skip  bazel: already satisfied", second.StandardOutput);
        Assert.Equal(requests, mirror.AccessLog().Length);

        // Doctor finds that install the way BazelLocator does, and it is the version the checkout wants.
        var doctor = await _toolkit.BuildShAsync(output, Env(host), "--target=Doctor", $"--serving-dir={checkout}");
        var root = Path.Combine(host.SysRoot, "opt", "servingbuild", "bazel");
        Assert.Matches($@"(?m)^bazel found\s+ok\s+{System.Text.RegularExpressions.Regex.Escape(Path.Combine(dir, "bin", "bazel"))}: .*\(from the pinned {System.Text.RegularExpressions.Regex.Escape(version)} installed in {System.Text.RegularExpressions.Regex.Escape(root)}\)$", doctor.StandardOutput);
        Assert.Matches($@"(?m)^bazel wanted\s+ok\s+{System.Text.RegularExpressions.Regex.Escape(version)} \(from ", doctor.StandardOutput);
    }

    [Fact]
    public async Task Provision_with_dry_run_says_what_would_run_and_changes_nothing()
    {
        var checkout = Checkout();
        var host = Arrange("host");
        var run = await _toolkit.BuildShAsync(output, Env(host), "--target=Provision", $"--serving-dir={checkout}", "--dry-run", "--skip-vault");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("plan: CentOS 7, devtoolset-11, Bazel 7.4.1 (7 steps)", run.StandardOutput);
        Assert.Contains("  [1/7] would run   bzip2", run.StandardOutput);
        Assert.DoesNotContain(Calls(host), c => c.StartsWith("yum install", StringComparison.Ordinal) || c.StartsWith("curl", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(host.SysRoot, "usr", "include", "stropts.h")));
    }

    [Fact]
    public async Task Provision_on_a_host_that_is_not_CentOS_7_stops_before_any_change()
    {
        var host = Arrange("host");
        File.WriteAllText(Path.Combine(host.SysRoot, "etc", "os-release"), "ID=debian\nVERSION_ID=\"12\"\n");
        var run = await _toolkit.BuildShAsync(output, Env(host), "--target=Provision");
        Assert.Equal(ExitCodes.Prerequisite, run.ExitCode);
        Assert.Contains("no provisioning plan here for debian 12", run.StandardError);
        Assert.Empty(Calls(host));
    }

    [Fact]
    public async Task Devtoolsets_compiler_is_handed_to_Bazel_when_Provision_installed_it()
    {
        // A sysroot holding devtoolset's gcc, and a stand-in Bazel that records the CC it was started with.
        var host = Arrange("host");
        var gcc = _toolkit.Write("host/sysroot/opt/rh/devtoolset-11/root/usr/bin/gcc", "#!/bin/sh\nexec gcc \"$@\"\n");
        File.SetUnixFileMode(gcc, (UnixFileMode)0b111_101_101);
        var bazel = _toolkit.Write("standins/bazel", $"#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'bazel 4.2.3'; exit 0; fi\necho \"$CC\" > {host.State}/cc\nexit 1\n");
        File.SetUnixFileMode(bazel, (UnixFileMode)0b111_101_101);
        var env = Env(host);
        env["CC"] = null;
        var run = await _toolkit.BuildShAsync(output, env, "--target=BazelBuild", $"--bazel={bazel}");
        Assert.Contains($"compiler: CC={gcc} (devtoolset-11, installed by Provision)", run.StandardOutput);
        Assert.Equal(gcc, File.ReadAllText(Path.Combine(host.State, "cc")).Trim());
    }
}
