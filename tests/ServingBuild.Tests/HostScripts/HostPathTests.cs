using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using ServingBuild.BazelBuild;
using ServingBuild.HostScripts;
using ServingBuild.Options;
using ServingBuild.Processes;
using ServingBuild.Protos;
using ServingBuild.Provision;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.HostScripts;

/// <summary>
/// ./build.sh on a host where .NET cannot start, reached the way a CentOS 7 host reaches it: build.sh's own glibc
/// check, answered `glibc 2.17` by a getconf earlier on PATH. Real Bazel on copies of the bundled workspace; the
/// C# path runs on the same inputs and its console lines, exit codes and artifacts are compared with the bash path's.
/// </summary>
[Trait("Category", "Integration")]
[Collection(BazelCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class HostPathTests(ITestOutputHelper output) : IDisposable
{
    private readonly HostPathToolkit _toolkit = new();

    public void Dispose() => _toolkit.Dispose();

    private static string ActionPath => "--bazel-opt=--action_env=PATH=" + System.Environment.GetEnvironmentVariable("PATH");

    private static Dictionary<string, string?> Environment() =>
        System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);

    private static async Task ExpungeAsync(string workspace) =>
        await new ProcessRunner(TaskLog.Null).RunAsync(new ProcessSpec("bazel", "clean", "--expunge") { WorkingDirectory = workspace, Timeout = TimeSpan.FromMinutes(5) });

    private static string? HighestNeeded(string symbols, string prefix) =>
        Regex.Matches(symbols, $@"\b{prefix}_(\d+(?:\.\d+)+)\b").Select(m => Version.Parse(m.Groups[1].Value)).OrderDescending().FirstOrDefault()?.ToString();

    [Fact]
    public async Task BazelBuild_on_the_bundled_workspace_exports_the_binary_and_manifest_the_CSharp_path_would()
    {
        Require.Program("bazel", "bazel-bootstrap");
        var readelf = Require.Program("readelf", "binutils");
        var bundled = _toolkit.Paths.BundledServingDir;
        try
        {
            // The getconf stand-in changes PATH, which Bazel hashes into every action; pinning the actions' PATH to the
            // machine's keeps the shared disk cache useful for both paths (a CentOS 7 host has no stand-in).
            var run = await _toolkit.BuildShAsync(output, null, "--target=BazelBuild", ActionPath);
            Assert.Equal(0, run.ExitCode);

            // The binary: a real file, 0755, the bytes Bazel built.
            var dest = Path.Combine(_toolkit.Root, "artifacts", "bin", "tensorflow_model_server");
            var info = new FileInfo(dest);
            Assert.Null(info.LinkTarget);
            Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(dest));
            var built = ServerBinary.PathFor(bundled);
            Assert.Equal(SHA256.HashData(File.ReadAllBytes(built)), SHA256.HashData(File.ReadAllBytes(dest)));
            Assert.True(File.Exists(Path.Combine(_toolkit.Root, "artifacts", "logs", "BazelBuild.log")));
            Assert.Contains("INFO: Build completed successfully", File.ReadAllText(Path.Combine(_toolkit.Root, "artifacts", "logs", BazelBuildStage.LogFileName)));
            var manifestPath = Path.Combine(_toolkit.Root, "artifacts", "bin", ExportedServerManifest.FileName);
            var text = File.ReadAllText(manifestPath);

            // The C# path on the same inputs: the same console lines (timings aside) and the same values in the manifest.
            var console = new StringWriter();
            var options = OptionsParser.Parse([ActionPath], _toolkit.Paths);
            using (var log = new TaskLog(null, console))
            {
                await new BazelBuildStage(Environment()).BuildAsync(new StageContext(options, _toolkit.Paths, log), CancellationToken.None);
            }

            static IEnumerable<string> Ours(string text) => HostPathToolkit.Lines(text)
                .Where(l => !l.StartsWith("  ", StringComparison.Ordinal) && !l.StartsWith("exported ", StringComparison.Ordinal) && !l.StartsWith("warning: ", StringComparison.Ordinal))
                .Select(l => Regex.Replace(l, @"finished in \d+\.\ds \(\d+ processes, \d+ executed, \d+ remote cache hits\)", "finished in (time)"));
            output.WriteLine("C# path:\n" + console);
            Assert.Equal(Ours(console.ToString()), Ours(run.StandardOutput));

            // The C# export wrote its manifest over the bash one: the options that shape the binary are the same list.
            using var csJson = JsonDocument.Parse(File.ReadAllText(manifestPath));
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            Assert.Equal(ExportedServerManifest.Keys, root.EnumerateObject().Select(p => p.Name));
            Assert.StartsWith("{\n  \"schema\": 1,\n  \"binary\": \"tensorflow_model_server\",\n", text);
            Assert.Equal(1, root.GetProperty("schema").GetInt32());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(dest))), root.GetProperty("sha256").GetString());
            Assert.Equal(info.Length, root.GetProperty("size").GetInt64());
            var bazel = await InstalledBazel.FindAsync(null, Environment(), new ProcessRunner(TaskLog.Null), CancellationToken.None);
            Assert.Equal(bazel.Version, root.GetProperty("bazelVersion").GetString());
            var shaping = BazelInvocation.OptionsShapingTheBinary(options, Environment());
            Assert.Equal(shaping, root.GetProperty("bazelOptions").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(shaping, csJson.RootElement.GetProperty("bazelOptions").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(JsonValueKind.Null, root.GetProperty("servingCommit").ValueKind);
            Assert.Equal(ServingVersion.Detect(bundled, null)?.ToString(), root.GetProperty("servingVersion").GetString());

            // The GLIBC needs, read here with readelf (the script used objdump where it is installed).
            var symbols = (await new ProcessRunner(TaskLog.Null).RunAsync(new ProcessSpec(readelf, "-V", "--wide", dest))).StandardOutput;
            var glibc = HighestNeeded(symbols, "GLIBC");
            var glibcxx = HighestNeeded(symbols, "GLIBCXX");
            Assert.Equal(glibc, root.GetProperty("glibc").GetString());
            Assert.Equal(glibcxx, root.GetProperty("glibcxx").GetString());
            var compatible = Version.Parse(glibc!) <= Version.Parse(ExportedServerManifest.CentOs7Glibc)
                && (glibcxx is null || Version.Parse(glibcxx) <= Version.Parse(ExportedServerManifest.CentOs7Glibcxx));
            Assert.Equal(compatible, root.GetProperty("centos7Compatible").GetBoolean());
            if (!compatible)
            {
                Assert.Contains($"needs GLIBC_{glibc}", run.StandardOutput);
            }
        }
        finally
        {
            await ExpungeAsync(bundled);
        }
    }

    [Fact]
    public async Task Missing_stropts_h_is_diagnosed_with_the_CSharp_lines_and_auto_fix_recovers_without_touching_the_real_header()
    {
        Require.Program("bazel", "bazel-bootstrap");
        var unshare = Require.Program("unshare", "util-linux");
        Assert.True(Require.IsRoot, "this test hides /usr/include/stropts.h inside a private mount namespace and must run as root");
        const string Stropts = "/usr/include/stropts.h";
        var before = File.Exists(Stropts) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Stropts))) : "absent";
        var serving = Path.Combine(_toolkit.Temp("checkout"), "serving");
        HostPathToolkit.CopyTree(TestPaths.ServingMini, serving);

        // A unique comment gives @curl//:curl a new action key, so it compiles instead of coming from the disk cache.
        File.AppendAllText(Path.Combine(serving, "third_party/curl/lib/if2ip.c"), $"/* {Guid.NewGuid()} */\n");
        var upper = _toolkit.Temp("overlay/upper");
        var work = _toolkit.Temp("overlay/work");
        var results = _toolkit.Temp("results");
        // The SDK running this test: not a Debian package here, and present by definition.
        var dotnet = ServingBuild.Processes.ProgramPath.Find("dotnet") ?? throw new InvalidOperationException("no dotnet on PATH, yet this test runs on .NET: put the SDK's folder on PATH");

        // One namespace for all three runs: Bazel's server starts in it and must see the same /usr/include.
        var driver = _toolkit.Write("driver.sh", $$"""
            set -u
            mount -t overlay overlay -o lowerdir=/usr/include,upperdir={{upper}},workdir={{work}} /usr/include
            rm -f {{Stropts}}
            cd {{ShellQuote.Quote(_toolkit.Root)}}
            SERVINGBUILD_ROOT={{ShellQuote.Quote(_toolkit.Root)}} {{dotnet}} exec {{ShellQuote.Quote(HostPathToolkit.CliDll)}} BazelBuild --serving-dir={{serving}} {{ShellQuote.Quote(ActionPath)}} > {{results}}/cs.out 2> {{results}}/cs.err
            echo $? > {{results}}/cs.rc
            PATH={{_toolkit.HostPath()}} ./build.sh --target=BazelBuild --serving-dir={{serving}} {{ShellQuote.Quote(ActionPath)}} > {{results}}/sh.out 2> {{results}}/sh.err
            echo $? > {{results}}/sh.rc
            PATH={{_toolkit.HostPath()}} ./build.sh --target=BazelBuild --serving-dir={{serving}} {{ShellQuote.Quote(ActionPath)}} --auto-fix > {{results}}/fix.out 2> {{results}}/fix.err
            echo $? > {{results}}/fix.rc
            test -e {{Stropts}} && stat -c %a {{Stropts}} > {{results}}/shim.mode
            cd {{serving}} && bazel clean --expunge > /dev/null 2>&1
            """);
        var result = await new ProcessRunner(TaskLog.Null).RunAsync(new ProcessSpec(unshare, "-m", "--propagation", "private", "bash", driver) { Timeout = TimeSpan.FromMinutes(40) });
        string Read(string name) => File.ReadAllText(Path.Combine(results, name));
        output.WriteLine(result.StandardOutput + result.StandardError);
        foreach (var name in new[] { "cs.out", "cs.err", "sh.out", "sh.err", "fix.out", "fix.err" })
        {
            output.WriteLine($"--- {name}\n{Read(name)}");
        }

        Assert.Equal(before, File.Exists(Stropts) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Stropts))) : "absent");

        // Same diagnosis, same one-line error, same exit code.
        static IEnumerable<string> Diagnosis(string text) => HostPathToolkit.Lines(text).Where(l => l.StartsWith("cause [", StringComparison.Ordinal) || l.StartsWith("fix   [", StringComparison.Ordinal));
        Assert.Contains("cause [stropts-h-missing]: ", Read("sh.out"));
        Assert.Equal(Diagnosis(Read("cs.out")), Diagnosis(Read("sh.out")));
        Assert.Equal(Read("cs.err").Trim(), Read("sh.err").Trim());
        Assert.Contains("touch /usr/include/stropts.h", Read("sh.err"));
        Assert.Contains("(or rerun with --auto-fix)", Read("sh.err"));
        Assert.Equal("1", Read("cs.rc").Trim());
        Assert.Equal("1", Read("sh.rc").Trim());

        // --auto-fix: the shim (0644, in the namespace only), a second attempt, the binary exported.
        Assert.Equal("0", Read("fix.rc").Trim());
        // The fix is the plan's StroptsShim.Step, run as a one-step plan as SafeFixer runs it.
        Assert.Contains($"[1/1] run   {StroptsShim.Step.Id}: {StroptsShim.Step.Description}", Read("fix.out"));
        Assert.Contains("      created an empty /usr/include/stropts.h", Read("fix.out"));
        Assert.Contains($"auto-fix: {StroptsShim.Step.Description}: done", Read("fix.out"));
        Assert.Contains("auto-fix applied; building again", Read("fix.out"));
        Assert.Equal("644", Read("shim.mode").Trim());
        Assert.True(File.Exists(Path.Combine(upper, "stropts.h")));
        Assert.Contains("# --auto-fix applied stropts-h-missing; second attempt", File.ReadAllText(Path.Combine(_toolkit.Root, "artifacts", "logs", BazelBuildStage.LogFileName)));
        Assert.True(File.Exists(Path.Combine(_toolkit.Root, "artifacts", "bin", "tensorflow_model_server")));
    }

    [Fact]
    public async Task Bzip2_missing_from_the_actions_PATH_is_diagnosed_like_the_CSharp_path_and_auto_fix_installs_it()
    {
        Require.Program("bazel", "bazel-bootstrap");
        var bzip2 = Require.Program("bzip2", "bzip2");
        var serving = Path.Combine(_toolkit.Temp("checkout"), "serving");
        HostPathToolkit.CopyTree(TestPaths.ServingMini, serving);
        var bin = _toolkit.Temp("nobzip2");

        // Everything on the host's PATH except bzip2, so tar and the compilers are still found.
        foreach (var dir in new[] { "/usr/local/bin", "/usr/bin", "/bin" })
        {
            foreach (var file in Directory.Exists(dir) ? Directory.GetFiles(dir) : [])
            {
                var name = Path.GetFileName(file);
                var link = Path.Combine(bin, name);
                if (!name.Contains("bzip2", StringComparison.Ordinal) && name is not ("bunzip2" or "bzcat") && !File.Exists(link))
                {
                    File.CreateSymbolicLink(link, file);
                }
            }
        }

        // The package manager is a recording stand-in: installing bzip2 puts it where the actions look, and dpkg-query
        // (the plan step's check) says installed once it is there.
        var calls = Path.Combine(_toolkit.Temp("state"), "apt-get.calls");
        var standins = _toolkit.Temp("standins");
        _toolkit.Write("standins/apt-get", $"#!/bin/sh\necho \"apt-get $*\" >> {calls}\nif [ \"$1\" = install ] || [ \"$2\" = install ]; then ln -sf {bzip2} {bin}/bzip2; fi\n");
        _toolkit.Write("standins/dpkg-query", $"#!/bin/sh\nif [ -e {bin}/bzip2 ]; then echo 'install ok installed'; else echo 'deinstall ok config-files'; fi\n");
        File.SetUnixFileMode(Path.Combine(standins, "apt-get"), (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(Path.Combine(standins, "dpkg-query"), (UnixFileMode)0b111_101_101);
        var step = SafeFixer.StepFor(SafeFix.InstallBzip2, new global::ServingBuild.Host.HostFacts { OsId = "debian" })!;
        try
        {
            var actionPath = $"--bazel-opt=--action_env=PATH={bin}";
            var console = new StringWriter();
            var options = OptionsParser.Parse([$"--serving-dir={serving}", actionPath], _toolkit.Paths);
            BazelBuildFailedException failure;
            using (var log = new TaskLog(null, console))
            {
                failure = await Assert.ThrowsAsync<BazelBuildFailedException>(
                    () => new BazelBuildStage(Environment()).BuildAsync(new StageContext(options, _toolkit.Paths, log), CancellationToken.None));
            }

            output.WriteLine("C# path:\n" + console + "\nerror: " + failure.Message);
            var run = await _toolkit.BuildShAsync(output, new Dictionary<string, string?> { ["PATH"] = _toolkit.HostPath(standins) }, "--target=BazelBuild", $"--serving-dir={serving}", actionPath);
            static IEnumerable<string> Diagnosis(string text) => HostPathToolkit.Lines(text).Where(l => l.StartsWith("cause [", StringComparison.Ordinal) || l.StartsWith("fix   [", StringComparison.Ordinal));
            Assert.Contains("cause [bzip2-missing]: ", run.StandardOutput);
            Assert.Equal(Diagnosis(console.ToString()), Diagnosis(run.StandardOutput));
            Assert.Equal("error: " + failure.Message, run.StandardError.Trim());
            Assert.Equal(failure.ExitCode, run.ExitCode);
            Assert.False(File.Exists(calls));

            var fixedRun = await _toolkit.BuildShAsync(output, new Dictionary<string, string?> { ["PATH"] = _toolkit.HostPath(standins) }, "--target=BazelBuild", $"--serving-dir={serving}", actionPath, "--auto-fix");
            Assert.Equal(0, fixedRun.ExitCode);
            // The fix is the plan's apt step (SafeFixer.StepFor on Debian), run as a one-step plan.
            Assert.Contains($"[1/1] run   {step.Id}: {step.Description}", fixedRun.StandardOutput);
            Assert.Contains($"auto-fix: {step.Description}: done", fixedRun.StandardOutput);
            Assert.Contains("auto-fix applied; building again", fixedRun.StandardOutput);
            Assert.Equal(["apt-get update", "apt-get install -y --no-install-recommends bzip2"], File.ReadAllLines(calls));
        }
        finally
        {
            await ExpungeAsync(serving);
        }
    }

    [Fact]
    public async Task Doctor_reports_the_host_as_the_probe_sees_it_and_that_dotnet_cannot_start()
    {
        var run = await _toolkit.BuildShAsync(output, null, "--target=Doctor");
        var lines = HostPathToolkit.Lines(run.StandardOutput);
        Assert.Matches(@"^item\s+status\s+detail$", lines[0]);
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^glibc\s+2\.17$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^\.NET can start\s+no\s+needs glibc >= 2\.27"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^bazel wanted\s+\S+\s+\d+\.\d+\.\d+ \(from .*Dockerfile\.devel:\d+\)"));

        // This machine is Debian: the host script carries the CentOS 7 plan only, so the OS is a finding (exit 5).
        Assert.Equal(ExitCodes.DoctorFindings, run.ExitCode);
        Assert.Matches(@"^doctor: \d+ finding\(s\): os", lines[^1]);
        Assert.True(File.Exists(Path.Combine(_toolkit.Root, "artifacts", "logs", "Doctor.log")));
    }

    [Theory]
    [InlineData("Protos", "./build.sh --target=Protos --serving-dir=")]
    [InlineData("Verify", "./build.sh --target=Verify --server=")]
    [InlineData("Stubs", "./build.sh --target=Stubs")]
    [InlineData("Test", "./build.sh --target=Test")]
    public async Task Tasks_that_need_dotnet_exit_3_with_the_command_to_run_from_a_machine_with_dotnet(string task, string command)
    {
        var run = await _toolkit.BuildShAsync(output, null, $"--target={task}");
        Assert.Equal(ExitCodes.Prerequisite, run.ExitCode);
        var line = Assert.Single(HostPathToolkit.Lines(run.StandardError));
        Assert.Contains(command, line);
        Assert.Contains("protos/ in this repository already holds the protos of the pinned release", line);
        Assert.Contains("glibc 2.17", line);
    }

    [Fact]
    public async Task An_option_the_host_path_lacks_is_refused_in_one_line_naming_what_is_supported()
    {
        var run = await _toolkit.BuildShAsync(output, null, "--target=BazelBuild", "--keep-rpc=Predict");
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        var line = Assert.Single(HostPathToolkit.Lines(run.StandardError));
        Assert.StartsWith("error: --keep-rpc is not supported on this host", line);
        foreach (var name in HostScript.HostOptions)
        {
            Assert.Contains("--" + name, line);
        }

        // The values are checked with OptionsParser's own words.
        var jobs = await _toolkit.BuildShAsync(output, null, "--target=BazelBuild", "--jobs=0");
        Assert.Equal(ExitCodes.Usage, jobs.ExitCode);
        Assert.Equal("error: " + Assert.Throws<OptionsException>(() => OptionsParser.Parse(["--jobs=0"], _toolkit.Paths)).Message, jobs.StandardError.Trim());
    }

    [Fact]
    public async Task Remote_cache_headers_reach_Bazel_through_a_private_bazelrc_never_the_command_line()
    {
        // A stand-in Bazel records what it was given, the rc file's mode and content, then fails without output.
        var state = _toolkit.Temp("state");
        var tmp = _toolkit.Temp("tmp");
        var bazel = _toolkit.Write("standins/bazel", $$"""
            #!/bin/bash
            if [ "$1" = --version ]; then echo "bazel 4.2.3"; exit 0; fi
            printf '%s\n' "$@" > {{state}}/args
            for a in "$@"; do
              case "$a" in --bazelrc=*) rc="${a#--bazelrc=}"; stat -c %a "$rc" > {{state}}/mode; cat "$rc" > {{state}}/rc ;; esac
            done
            ps -eo args > {{state}}/ps
            exit 1
            """);
        File.SetUnixFileMode(bazel, (UnixFileMode)0b111_101_101);
        var secret = "s3cret-" + Guid.NewGuid().ToString("N");
        var run = await _toolkit.BuildShAsync(output, new Dictionary<string, string?>
        {
            [BazelInvocation.RemoteHeadersVariable] = $"Authorization=Bearer {secret}\n# a comment\nx-team=serving",
            ["TMPDIR"] = tmp,
        }, "--target=BazelBuild", $"--bazel={bazel}", "--remote-cache=http://127.0.0.1:9/cache");

        Assert.Equal(ExitCodes.StageFailed, run.ExitCode);
        Assert.DoesNotContain(secret, run.StandardOutput + run.StandardError);
        Assert.DoesNotContain(secret, File.ReadAllText(Path.Combine(state, "args")));
        Assert.DoesNotContain(secret, File.ReadAllText(Path.Combine(state, "ps")));
        Assert.Equal("600", File.ReadAllText(Path.Combine(state, "mode")).Trim());
        Assert.Equal($"build \"--remote_header=Authorization=Bearer {secret}\"\nbuild \"--remote_header=x-team=serving\"\n", File.ReadAllText(Path.Combine(state, "rc")));
        Assert.Contains("--remote_cache=http://127.0.0.1:9/cache", File.ReadAllText(Path.Combine(state, "args")));
        foreach (var log in Directory.GetFiles(Path.Combine(_toolkit.Root, "artifacts", "logs")))
        {
            Assert.DoesNotContain(secret, File.ReadAllText(log));
        }

        // The private folder is gone once the run ends.
        Assert.Empty(Directory.GetFileSystemEntries(tmp));
    }

    [Fact]
    public async Task The_host_script_is_shellcheck_clean()
    {
        var shellcheck = Require.Program("shellcheck", "shellcheck");
        var result = await new ProcessRunner(TaskLog.Null).RunAsync(new ProcessSpec(shellcheck, "--shell=bash", "--severity=style", Path.Combine(TestPaths.Root, HostScript.RelativePath), Path.Combine(TestPaths.Root, "build.sh")));
        Assert.True(result.Succeeded, result.StandardOutput);
    }
}
