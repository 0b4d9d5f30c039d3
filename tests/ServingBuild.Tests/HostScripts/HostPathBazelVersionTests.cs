using ServingBuild.BazelBuild;
using ServingBuild.Options;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.HostScripts;

/// <summary>
/// The pinned Bazel on a host where .NET cannot start, through ./build.sh (a getconf answering glibc 2.17): a version
/// mismatch stops with the C# stage's one line naming both versions and the two options, --allow-bazel-mismatch turns
/// it into one warning and builds, --install-bazel fetches the pin from a loopback nginx mirror into the tools cache and
/// builds with it, and a hostile --bazel-mirror is refused or stays data. Real Bazel on a one-genrule workspace whose
/// output sits where the server binary does, so a build takes seconds and needs no network.
/// </summary>
[Trait("Category", "Integration")]
[Collection(BazelCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HostPathBazelVersionTests(ITestOutputHelper output) : IDisposable
{
    private readonly HostPathToolkit _toolkit = new();
    private readonly List<(string Bazel, string Workspace)> _servers = [];

    public void Dispose()
    {
        // Each workspace started a Bazel server; stop it and drop its output base before the folder goes.
        foreach (var (bazel, workspace) in _servers)
        {
            new ProcessRunner(TaskLog.Null).RunAsync(new ProcessSpec(bazel, "clean", "--expunge") { WorkingDirectory = workspace, Timeout = TimeSpan.FromMinutes(5) })
                .GetAwaiter().GetResult();
        }

        _toolkit.Dispose();
    }

    /// <summary>
    /// A checkout pinning <paramref name="wanted"/> in Dockerfile.devel (Debian's /usr/bin/bazel wrapper would act on a
    /// .bazelversion itself), whose server target is a genrule writing a small script.
    /// </summary>
    private string Checkout(string name, string? wanted)
    {
        if (wanted is not null)
        {
            _toolkit.Write($"{name}/tensorflow_serving/tools/docker/Dockerfile.devel", $"FROM ubuntu:22.04\nENV BAZEL_VERSION={wanted}\n");
        }

        _toolkit.Write($"{name}/WORKSPACE", "workspace(name = \"pin_check\")\n");
        _toolkit.Write($"{name}/.bazelrc", "build:release --compilation_mode=opt\n");
        _toolkit.Write($"{name}/tensorflow_serving/model_servers/BUILD", """
            genrule(
                name = "server",
                outs = ["tensorflow_model_server"],
                cmd = "printf '#!/bin/sh\\necho serving\\n' > $@",
                executable = True,
            )

            """);
        return _toolkit.Temp(name);
    }

    private Dictionary<string, string?> Env() => new() { ["PATH"] = _toolkit.HostPath(), ["TMPDIR"] = _toolkit.Temp("tmp") };

    /// <summary>The Bazel on PATH as BazelBuild finds it, and a pin that is not its version.</summary>
    private async Task<(InstalledBazel Found, string Other)> PathBazelAsync()
    {
        Require.Program("bazel", "bazel-bootstrap");
        var found = await InstalledBazel.FindAsync(null, Env(), new ProcessRunner(TaskLog.Null), CancellationToken.None);
        Assert.True(found.Version is not null, $"{found.Path} reports no version and no package owns it; the mismatch needs a known version");
        return (found, found.Version == "7.4.1" ? "6.5.0" : "7.4.1");
    }

    private static void AssertNoStackTrace(ProcessResult run)
    {
        Assert.DoesNotContain("Exception", run.StandardOutput + run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.StandardOutput + run.StandardError, StringComparison.Ordinal);
    }

    private static string OneError(ProcessResult run)
    {
        AssertNoStackTrace(run);
        var line = Assert.Single(HostPathToolkit.Lines(run.StandardError));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain(HostPathToolkit.Lines(run.StandardOutput), l => l.TrimStart().StartsWith("error:", StringComparison.Ordinal));
        return line["error: ".Length..];
    }

    /// <summary>A message as the C# entry point prints it: its lines trimmed and joined with spaces.</summary>
    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    [Fact]
    public async Task A_Bazel_that_is_not_the_pinned_version_stops_BazelBuild_with_one_line_naming_both_versions_and_the_options()
    {
        var (found, other) = await PathBazelAsync();
        var checkout = Checkout("checkout", other);
        var run = await _toolkit.BuildShAsync(output, Env(), "--target=BazelBuild", $"--serving-dir={checkout}", $"--cache-dir={_toolkit.Temp("cache")}");

        var mismatch = new BazelVersionMismatchException(found.Version!, WantedBazelVersion.Read(checkout)!, found.Path);
        Assert.Equal(mismatch.ExitCode, run.ExitCode);
        Assert.Equal(ExitCodes.Prerequisite, run.ExitCode);
        var line = OneError(run);
        Assert.Equal(mismatch.Message, line);
        Assert.Contains($"Bazel {found.Version} ", line);
        Assert.Contains($"wants, {other} ", line);
        Assert.Contains("--install-bazel", line);
        Assert.Contains("--allow-bazel-mismatch", line);
        Assert.False(Directory.Exists(Path.Combine(checkout, "bazel-out")), "Bazel ran although the version was wrong");
    }

    [Fact]
    public async Task Allow_bazel_mismatch_builds_with_the_Bazel_found_after_one_warning_line()
    {
        var (found, other) = await PathBazelAsync();
        var checkout = Checkout("checkout", other);
        _servers.Add(("bazel", checkout));
        var run = await _toolkit.BuildShAsync(output, Env(), "--target=BazelBuild", $"--serving-dir={checkout}", $"--cache-dir={_toolkit.Temp("cache")}", "--allow-bazel-mismatch");

        Assert.Equal(0, run.ExitCode);
        AssertNoStackTrace(run);
        Assert.Equal("", run.StandardError);
        var mismatch = new BazelVersionMismatchException(found.Version!, WantedBazelVersion.Read(checkout)!, found.Path);
        var warning = Assert.Single(HostPathToolkit.Lines(run.StandardOutput), l => l.StartsWith("warning: ", StringComparison.Ordinal));
        Assert.Equal("warning: " + mismatch.Message, warning);
        Assert.Contains("$ " + ShellQuote.Quote(found.Path) + " build ", run.StandardOutput);
        Assert.Equal("#!/bin/sh\necho serving\n", File.ReadAllText(Path.Combine(_toolkit.Root, "artifacts", "bin", "tensorflow_model_server")));
    }

    [Fact]
    public async Task Install_bazel_fetches_the_pin_from_the_mirror_into_the_tools_cache_and_BazelBuild_uses_it()
    {
        const string Wanted = "7.4.1";
        var releases = new BazelReleaseFolder(_toolkit.Temp("releases"));
        var release = releases.Publish(Wanted);
        await using var mirror = await LoopbackFileServer.StartAsync(releases.Root, output);
        var checkout = Checkout("checkout", Wanted);
        var cache = _toolkit.Temp("cache");
        var installed = release.CachedPath(cache);
        _servers.Add((installed, checkout));

        var run = await _toolkit.BuildShAsync(output, Env(), "--target=BazelBuild", $"--serving-dir={checkout}", $"--cache-dir={cache}", "--install-bazel", $"--bazel-mirror={mirror.BaseUrl}/");
        Assert.Equal(0, run.ExitCode);
        AssertNoStackTrace(run);
        Assert.Equal("", run.StandardError);

        // The release's asset, checked against its .sha256, in the per-version folder with the toolkit's marker.
        var log = string.Join('\n', mirror.AccessLog());
        Assert.Contains($"GET /{Wanted}/{release.FileName} HTTP/1.1\" 200", log);
        Assert.Contains($"GET /{Wanted}/{release.FileName}.sha256 HTTP/1.1\" 200", log);
        var marker = File.ReadAllText(Path.Combine(release.InstallDir(Path.Combine(cache, "bazel")), BazelInstaller.MarkerName));
        var sha = File.ReadAllText(Path.Combine(releases.Root, Wanted, release.FileName + ".sha256"))[..64];
        Assert.Equal($"asset={release.FileName}\nsha256={sha}\nfrom={mirror.BaseUrl}/{Wanted}/{release.FileName}\n", marker);
        Assert.True(BazelInstaller.IsInstalled(release, Path.Combine(cache, "bazel")));
        Assert.Equal(File.ReadAllBytes(releases.RealBazel), File.ReadAllBytes(installed));

        Assert.Contains(BazelBuildLines.Installed(Wanted, release.FileName, sha[..12], installed), HostPathToolkit.Lines(run.StandardOutput));

        // BazelBuild names and runs that binary, with the C# stage's words.
        var wanted = WantedBazelVersion.Read(checkout);
        Assert.Contains(BazelBuildLines.Found(Wanted, installed, BazelBuildLines.InstallBazelHow, wanted), HostPathToolkit.Lines(run.StandardOutput));
        Assert.Contains("$ " + ShellQuote.Quote(installed) + " build ", run.StandardOutput);
        Assert.Equal("#!/bin/sh\necho serving\n", File.ReadAllText(Path.Combine(_toolkit.Root, "artifacts", "bin", "tensorflow_model_server")));

        // A second run finds it and fetches nothing.
        var requests = mirror.AccessLog().Length;
        var again = await _toolkit.BuildShAsync(output, Env(), "--target=BazelBuild", $"--serving-dir={checkout}", $"--cache-dir={cache}", "--install-bazel", $"--bazel-mirror={mirror.BaseUrl}");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains(BazelBuildLines.AlreadyInstalled(Wanted, installed), HostPathToolkit.Lines(again.StandardOutput));
        Assert.Equal(requests, mirror.AccessLog().Length);
    }

    [Fact]
    public async Task Install_bazel_stops_in_one_line_when_the_mirror_lacks_the_release_or_its_checksum_is_wrong_and_installs_nothing()
    {
        var releases = new BazelReleaseFolder(_toolkit.Temp("releases"));
        releases.Publish("7.4.1", wrongChecksum: true);
        releases.Publish("5.4.1");
        await using var mirror = await LoopbackFileServer.StartAsync(releases.Root, output);
        var cache = _toolkit.Temp("cache");

        // A folder of that version the toolkit did not write is left as it is.
        var foreign = _toolkit.Write("cache/bazel/5.4.1/mine.txt", "someone's\n");
        foreach (var (name, wanted) in new[] { ("missing", "6.5.0"), ("tampered", "7.4.1"), ("foreign", "5.4.1") })
        {
            var checkout = Checkout(name, wanted);
            var run = await _toolkit.BuildShAsync(output, Env(), "--target=BazelBuild", $"--serving-dir={checkout}", $"--cache-dir={cache}", "--install-bazel", $"--bazel-mirror={mirror.BaseUrl}");
            Assert.Equal(new BazelDownloadException("").ExitCode, run.ExitCode);
            var line = OneError(run);
            Assert.StartsWith($"--install-bazel: installing Bazel {wanted} into {Path.Combine(cache, "bazel", wanted)} failed", line);
            Assert.Contains("--bazel-mirror", line);
            Assert.False(File.Exists(Path.Combine(cache, "bazel", wanted, "bin", "bazel")));
            Assert.False(Directory.Exists(Path.Combine(checkout, "bazel-out")));
        }

        Assert.Equal("someone's\n", File.ReadAllText(foreign));
        Assert.Equal(["mine.txt"], Directory.GetFileSystemEntries(Path.GetDirectoryName(foreign)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Install_bazel_without_a_pin_is_a_usage_error_in_the_CSharp_words()
    {
        var checkout = Checkout("checkout", wanted: null);
        var run = await _toolkit.BuildShAsync(output, Env(), "--target=BazelBuild", $"--serving-dir={checkout}", $"--cache-dir={_toolkit.Temp("cache")}", "--install-bazel");
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal(BazelBuildLines.InstallBazelNoPin, OneError(run));
    }

    public static TheoryData<string[]> BadFlags => new()
    {
        new[] { "--install-bazel=maybe" },
        new[] { "--allow-bazel-mismatch=sometimes" },
        new[] { "--install-bazel", "--install-bazel=false" },
        new[] { "--allow-bazel-mismatch", "--allow-bazel-mismatch" },
    };

    [Theory]
    [MemberData(nameof(BadFlags))]
    public async Task The_two_options_are_parsed_with_OptionsParsers_words(string[] args)
    {
        var expected = Assert.Throws<OptionsException>(() => OptionsParser.Parse(args, _toolkit.Paths));
        var run = await _toolkit.BuildShAsync(output, Env(), ["--target=BazelBuild", .. args]);
        Assert.Equal(expected.ExitCode, run.ExitCode);
        Assert.Equal(expected.Message, OneError(run));
    }

    [Theory]
    [InlineData("/$(touch CANARY)")]
    [InlineData("/`touch CANARY`")]
    [InlineData("/x\ntouch CANARY")]
    [InlineData("/x';touch CANARY;'")]
    [InlineData("/x\u001b[2J;touch CANARY")]
    [InlineData("/x\u202e;touch CANARY")]
    public async Task A_hostile_bazel_mirror_is_refused_in_OptionsParsers_words_and_nothing_runs(string tail)
    {
        var checkout = Checkout("checkout", "7.4.1");
        var value = "http://127.0.0.1:9" + tail.Replace("CANARY", Path.Combine(_toolkit.Root, "canary"), StringComparison.Ordinal);
        var expected = Assert.Throws<OptionsException>(() => OptionsParser.Parse([$"--bazel-mirror={value}"], _toolkit.Paths));
        var run = await _toolkit.BuildShAsync(output, Env(), "--target=BazelBuild", $"--serving-dir={checkout}", "--install-bazel", $"--bazel-mirror={value}");
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Equal(OneLine(expected.Message), OneError(run));
        Assert.False(File.Exists(Path.Combine(_toolkit.Root, "canary")));
    }

    [Fact]
    public async Task A_bazel_mirror_with_shell_syntax_the_parser_allows_is_fetched_as_a_URL_and_never_run()
    {
        // ; > | & are legal in a URL path and pass OptionsParser: the mirror folder really has that name, so the
        // install only succeeds if the words reach curl as one argument.
        const string Wanted = "7.4.1";
        const string Folder = "m;touch;x>canary2|y&z";
        var served = _toolkit.Temp("served");
        var releases = new BazelReleaseFolder(Path.Combine(served, Folder));
        var release = releases.Publish(Wanted);
        await using var mirror = await LoopbackFileServer.StartAsync(served, output);
        var value = $"{mirror.BaseUrl}/{Folder}";
        OptionsParser.Parse([$"--bazel-mirror={value}"], _toolkit.Paths);
        var checkout = Checkout("checkout", Wanted);
        var cache = _toolkit.Temp("cache");
        _servers.Add((release.CachedPath(cache), checkout));

        var run = await _toolkit.BuildShAsync(output, Env(), "--target=BazelBuild", $"--serving-dir={checkout}", $"--cache-dir={cache}", "--install-bazel", $"--bazel-mirror={value}");
        Assert.Equal(0, run.ExitCode);
        AssertNoStackTrace(run);
        Assert.Contains($"from={value}/{Wanted}/{release.FileName}\n", File.ReadAllText(Path.Combine(release.InstallDir(Path.Combine(cache, "bazel")), BazelInstaller.MarkerName)));
        foreach (var dir in new[] { _toolkit.Root, checkout, cache })
        {
            Assert.False(File.Exists(Path.Combine(dir, "canary2")), $"{dir}/canary2: the mirror value ran as shell");
        }
    }
}
