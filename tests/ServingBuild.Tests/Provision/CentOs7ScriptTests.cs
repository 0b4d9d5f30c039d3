using System.Security.Cryptography;
using ServingBuild.Provision;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Provision;

/// <summary>
/// The emitted CentOS 7 script, run by bash. There is no CentOS 7 here, so yum, rpm and curl are stand-ins on PATH
/// that record their calls (rpm answers from what the stand-in yum "installed"); everything else is real (bash,
/// grep, awk, mktemp, sha256sum, install, ln). SERVINGBUILD_SYSROOT aims the file changes at a temporary folder.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Trait("Category", "Integration")]
public sealed class CentOs7ScriptTests(ITestOutputHelper output) : IDisposable
{
    internal const string BuildPackages = "automake ca-certificates curl freetype-devel gcc gcc-c++ git java-1.8.0-openjdk-devel libcurl-devel libpng-devel libtool make mlocate patch pkgconfig python3 python3-devel swig tar unzip wget which zip zlib-devel";
    internal const string Devtoolset = "devtoolset-11-gcc devtoolset-11-gcc-c++ devtoolset-11-binutils";

    internal const string OriginalBaseRepo = "[base]\nname=CentOS-$releasever - Base\nmirrorlist=http://mirrorlist.centos.org/?release=$releasever&arch=$basearch&repo=os\n#baseurl=http://mirror.centos.org/centos/$releasever/os/$basearch/\n";

    internal const string Rpm = """
        #!/usr/bin/env bash
        echo "rpm $*" >> "$STANDIN_STATE/calls.log"
        [ "$1" = "-q" ] || { echo "stand-in rpm: only -q is known" >&2; exit 2; }
        shift
        rc=0
        for p in "$@"; do
          if grep -qxF -- "$p" "$STANDIN_STATE/installed" 2>/dev/null; then
            echo "$p-1.0-1.el7.x86_64"
          else
            echo "package $p is not installed"
            rc=1
          fi
        done
        exit "$rc"
        """;

    internal const string Yum = """
        #!/usr/bin/env bash
        echo "yum $*" >> "$STANDIN_STATE/calls.log"
        case "$1" in
          install)
            shift
            [ "$1" = "-y" ] || { echo "stand-in yum: would prompt without -y" >&2; exit 1; }
            shift
            for p in "$@"; do
              echo "$p" >> "$STANDIN_STATE/installed"
              if [ "$p" = centos-release-scl ]; then
                # The real package drops these two repo files, which use the mirrorlist.
                printf '[centos-sclo-sclo]\nmirrorlist=http://mirrorlist.centos.org?arch=$basearch&release=7&repo=sclo-sclo\n' > "$SERVINGBUILD_SYSROOT/etc/yum.repos.d/CentOS-SCLo-scl.repo"
                printf '[centos-sclo-rh]\nmirrorlist=http://mirrorlist.centos.org?arch=$basearch&release=7&repo=sclo-rh\n' > "$SERVINGBUILD_SYSROOT/etc/yum.repos.d/CentOS-SCLo-scl-rh.repo"
              fi
            done
            ;;
          clean) ;;
          *) echo "stand-in yum: unexpected $*" >&2; exit 2 ;;
        esac
        """;

    // Logs the URL only: the -o path is a mktemp folder that differs on every run.
    internal const string Curl = """
        #!/usr/bin/env bash
        out="" url=""
        while [ $# -gt 0 ]; do
          case "$1" in
            -o) out="$2"; shift 2 ;;
            --max-time|--retry) shift 2 ;;
            -*) shift ;;
            *) url="$1"; shift ;;
          esac
        done
        echo "curl $url" >> "$STANDIN_STATE/calls.log"
        body="$(printf '#!/bin/sh\necho "bazel 7.4.1"')"
        case "$url" in
          *mirrorlist.centos.org*) echo "curl: (6) Could not resolve host: mirrorlist.centos.org" >&2; exit 6 ;;
          *.sha256)
            name="${url##*/}"
            printf '%s  %s\n' "$(printf '%s\n' "$body" | sha256sum | cut -d' ' -f1)" "${name%.sha256}" > "$out" ;;
          https://github.com/bazelbuild/bazel/releases/download/*)
            if [ -n "${STANDIN_TAMPER:-}" ]; then body='tampered'; fi
            printf '%s\n' "$body" > "$out" ;;
          *) echo "curl: (22) The requested URL returned error: 404" >&2; exit 22 ;;
        esac
        """;

    private readonly TempDir _dir = new("sb-c7");
    private readonly StringWriter _log = new();

    private string SysRoot => _dir.Combine("sysroot");
    private string State => _dir.Combine("state");
    private string Script => _dir.Combine("provision-centos7.sh");

    private void Arrange(string osRelease = "NAME=\"CentOS Linux\"\nVERSION=\"7 (Core)\"\nID=\"centos\"\nID_LIKE=\"rhel fedora\"\nVERSION_ID=\"7\"\n")
    {
        // Readable by nobody too (the non-root run).
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0b111_101_101);
        _dir.Write("sysroot/etc/os-release", osRelease);
        _dir.Write("sysroot/etc/yum.repos.d/CentOS-Base.repo", OriginalBaseRepo);
        Directory.CreateDirectory(_dir.Combine("sysroot", "usr", "include"));
        Directory.CreateDirectory(State);
        Directory.CreateDirectory(_dir.Combine("tmp"));
        foreach (var (name, body) in new[] { ("rpm", Rpm), ("yum", Yum), ("curl", Curl) })
        {
            var path = _dir.Write("bin/" + name, body + "\n");
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }

        ProvisionScript.Write(CentOs7Plan.Create(CentOs7PlanTests.Serving2200), Script);
    }

    private async Task<(ProcessResult Result, string[] Calls)> RunScriptAsync(IReadOnlyList<string>? runAs = null, bool tamper = false)
    {
        var calls = Path.Combine(State, "calls.log");
        File.WriteAllText(calls, "");
        var env = new Dictionary<string, string?>
        {
            ["PATH"] = _dir.Combine("bin") + ":" + Environment.GetEnvironmentVariable("PATH"),
            ["SERVINGBUILD_SYSROOT"] = SysRoot,
            ["STANDIN_STATE"] = State,
            ["STANDIN_TAMPER"] = tamper ? "1" : null,
            ["TMPDIR"] = _dir.Combine("tmp"),
        };
        string[] words = [.. runAs ?? [], "bash", Script];
        var runner = new ProcessRunner(new TaskLog(null, _log));
        var result = await runner.RunAsync(new ProcessSpec(words[0], words[1..]) { Environment = env, Timeout = TimeSpan.FromMinutes(2) });
        output.WriteLine(result.StandardOutput + result.StandardError);
        return (result, File.ReadAllLines(calls));
    }

    [Fact]
    public async Task First_run_installs_everything_through_yum_and_the_second_changes_nothing()
    {
        Arrange();

        var (first, calls) = await RunScriptAsync();
        Assert.True(first.Succeeded, first.StandardError);
        Assert.Equal(
        [
            "curl http://mirrorlist.centos.org/?release=7&arch=x86_64&repo=os",
            "yum clean all",
            "rpm -q bzip2", "yum install -y bzip2", "rpm -q bzip2",
            "rpm -q PyQt4", "yum install -y PyQt4", "rpm -q PyQt4",
            $"rpm -q {BuildPackages}", $"yum install -y {BuildPackages}", $"rpm -q {BuildPackages}",
            "rpm -q centos-release-scl", "yum install -y centos-release-scl", "rpm -q centos-release-scl",
            "curl http://mirrorlist.centos.org/?release=7&arch=x86_64&repo=sclo-rh",
            "yum clean all", "yum clean all",
            $"rpm -q {Devtoolset}", $"yum install -y {Devtoolset}", $"rpm -q {Devtoolset}",
            "curl https://github.com/bazelbuild/bazel/releases/download/7.4.1/bazel-7.4.1-linux-x86_64",
            "curl https://github.com/bazelbuild/bazel/releases/download/7.4.1/bazel-7.4.1-linux-x86_64.sha256",
        ], calls);

        // The repos point at the vault and the originals are kept.
        var repos = Path.Combine(SysRoot, "etc", "yum.repos.d");
        Assert.Equal(OriginalBaseRepo, File.ReadAllText(Path.Combine(repos, "CentOS-Base.repo.servingbuild-orig")));
        var baseRepo = File.ReadAllText(Path.Combine(repos, "CentOS-Base.repo"));
        Assert.Contains("baseurl=http://vault.centos.org/7.9.2009/os/$basearch/", baseRepo, StringComparison.Ordinal);
        Assert.Contains("baseurl=http://vault.centos.org/7.9.2009/updates/$basearch/", baseRepo, StringComparison.Ordinal);
        Assert.Contains("baseurl=http://vault.centos.org/7.9.2009/extras/$basearch/", baseRepo, StringComparison.Ordinal);
        Assert.DoesNotContain("mirrorlist=", baseRepo, StringComparison.Ordinal);
        Assert.Contains("baseurl=http://vault.centos.org/7.9.2009/sclo/$basearch/rh/", File.ReadAllText(Path.Combine(repos, "CentOS-SCLo-scl-rh.repo")), StringComparison.Ordinal);
        Assert.Contains("mirrorlist=", File.ReadAllText(Path.Combine(repos, "CentOS-SCLo-scl-rh.repo.servingbuild-orig")), StringComparison.Ordinal);
        Assert.Equal(3, Directory.GetFiles(repos, "*.servingbuild-orig").Length);
        Assert.Empty(Directory.GetFiles(repos, "*.servingbuild-new"));

        // The shim: empty, 0644, reported.
        var shim = Path.Combine(SysRoot, "usr", "include", "stropts.h");
        Assert.Equal(0, new FileInfo(shim).Length);
        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(shim));
        Assert.Contains("created an empty", first.StandardOutput, StringComparison.Ordinal);

        // Bazel: verified, installed into its per-version folder, never linked over a system Bazel.
        var bazel = Path.Combine(SysRoot, "opt", "servingbuild", "bazel", "7.4.1", "bin", "bazel");
        Assert.Equal("#!/bin/sh\necho \"bazel 7.4.1\"\n", File.ReadAllText(bazel));
        Assert.False(Path.Exists(Path.Combine(SysRoot, "usr", "local", "bin", "bazel")));
        Assert.Contains("bazel-7.4.1-linux-x86_64: OK", first.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(_dir.Combine("tmp")));
        Assert.Equal(9, first.StandardOutput.Split('\n').Count(l => l.Contains("] run   ", StringComparison.Ordinal)));

        var before = TreeHash(SysRoot);
        var (second, secondCalls) = await RunScriptAsync();
        Assert.True(second.Succeeded, second.StandardError);
        Assert.Equal(
            ["rpm -q bzip2", "rpm -q PyQt4", $"rpm -q {BuildPackages}", "rpm -q centos-release-scl", $"rpm -q {Devtoolset}"],
            secondCalls);
        Assert.Equal(9, second.StandardOutput.Split('\n').Count(l => l.Contains("] skip  ", StringComparison.Ordinal)));
        Assert.DoesNotContain("] run ", second.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(before, TreeHash(SysRoot));
    }

    [Fact]
    public async Task Doctors_query_names_the_packages_rpm_does_not_have()
    {
        Arrange();
        File.WriteAllText(Path.Combine(State, "installed"), "gcc\ngit\n");
        var step = CentOs7Plan.Create(CentOs7PlanTests.Serving2200).Steps.Single(s => s.Id == "build-prerequisites");
        var runner = new ProcessRunner(new TaskLog(null, _log));
        var result = await runner.RunAsync(new ProcessSpec("bash", "-c", "set -euo pipefail\n" + step.MissingQuery!)
        {
            Environment = new Dictionary<string, string?> { ["PATH"] = _dir.Combine("bin") + ":" + Environment.GetEnvironmentVariable("PATH"), ["STANDIN_STATE"] = State },
        });

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(CentOs7Plan.BuildPackages.Except(["gcc", "git"]), result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task An_existing_stropts_h_is_left_alone()
    {
        Arrange();
        var header = _dir.Write("sysroot/usr/include/stropts.h", "/* glibc 2.17's own header */\n");

        var (run, _) = await RunScriptAsync();
        Assert.True(run.Succeeded, run.StandardError);
        Assert.Contains("[8/9] skip  stropts-shim", run.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("/* glibc 2.17's own header */\n", File.ReadAllText(header));
    }

    [Fact]
    public async Task A_download_that_fails_its_checksum_stops_the_script_and_installs_no_Bazel()
    {
        Arrange();
        var (run, _) = await RunScriptAsync(tamper: true);
        Assert.False(run.Succeeded);
        Assert.Contains("error: provision step bazel failed", run.StandardError, StringComparison.Ordinal);
        Assert.False(Path.Exists(Path.Combine(SysRoot, "opt", "servingbuild", "bazel", "7.4.1")));
        Assert.False(Path.Exists(Path.Combine(SysRoot, "usr", "local", "bin", "bazel")));
        Assert.Empty(Directory.GetDirectories(_dir.Combine("tmp")));
    }

    [Fact]
    public async Task On_a_host_that_is_not_CentOS_7_it_stops_before_any_change()
    {
        Arrange(osRelease: "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n");
        var (run, calls) = await RunScriptAsync();
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("this script is for CentOS 7", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("this host is debian 12", run.StandardError, StringComparison.Ordinal);
        Assert.Empty(calls);
        Assert.Equal(OriginalBaseRepo, File.ReadAllText(Path.Combine(SysRoot, "etc", "yum.repos.d", "CentOS-Base.repo")));
    }

    [Fact]
    public async Task Without_root_or_sudo_it_says_so_and_changes_nothing()
    {
        Arrange();
        var setpriv = Require.Program("setpriv", "util-linux");
        var (run, calls) = await RunScriptAsync(runAs: [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
        Assert.Equal(3, run.ExitCode);
        Assert.Equal("error: this script needs root or passwordless sudo; run it as root: sudo bash " + Script, run.StandardError.Trim());
        Assert.Empty(calls);
    }

    [Fact]
    public async Task The_emitted_script_is_shellcheck_clean()
    {
        Arrange();
        var shellcheck = Require.Program("shellcheck", "shellcheck");
        var runner = new ProcessRunner(new TaskLog(null, _log));
        foreach (var plan in new[]
        {
            CentOs7Plan.Create(CentOs7PlanTests.Serving2200),
            CentOs7Plan.Create(CentOs7PlanTests.Serving2200 with { SkipVault = true, WantedBazel = null }),
            DebianPlan.Create(new PlanInputs { Profile = PlanProfile.Build, WantedBazel = "7.4.1" }, "Debian GNU/Linux 12 (bookworm)"),
        })
        {
            var path = _dir.Combine("check.sh");
            ProvisionScript.Write(plan, path);
            var result = await runner.RunAsync(new ProcessSpec(shellcheck, "--shell=bash", "--severity=style", path));
            Assert.True(result.Succeeded, $"shellcheck on the plan '{plan.Name}':\n{result.StandardOutput}");
        }
    }

    [Fact]
    public void The_script_in_scripts_folder_is_what_the_toolkit_emits_for_serving_2_20()
    {
        var committed = Path.Combine(TestPaths.Root, "scripts", "provision-centos7.sh");
        var expected = ProvisionScript.Render(CentOs7Plan.Create(CentOs7PlanTests.Serving2200));
        Assert.True(File.Exists(committed) && File.ReadAllText(committed) == expected,
            $"{committed} is stale; regenerate it: ./build.sh --target=Provision --emit-script=scripts/provision-centos7.sh --serving-dir=<a 2.20.0 checkout>");
    }

    private static string TreeHash(string root)
    {
        var lines = Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(p =>
            {
                var info = new FileInfo(p);
                var content = File.Exists(p) && info.LinkTarget is null ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p))) : info.LinkTarget ?? "dir";
                return $"{Path.GetRelativePath(root, p)} {File.GetUnixFileMode(p)} {info.LastWriteTimeUtc.Ticks} {content}";
            });
        return string.Join('\n', lines);
    }

    public void Dispose() => _dir.Dispose();
}
