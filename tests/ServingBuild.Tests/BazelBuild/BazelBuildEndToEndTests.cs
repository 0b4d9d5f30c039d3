using ServingBuild.BazelBuild;
using ServingBuild.Options;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.BazelBuild;

/// <summary>
/// The BazelBuild stage with real Bazel on the miniature workspace: the build, the no-op rebuild, and the
/// seed's two failures reproduced for real (stropts.h absent from /usr/include, bzip2 absent from the
/// actions' PATH), diagnosed, and the stropts.h one recovered by --auto-fix.
/// </summary>
[Collection(BazelCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Trait("Category", "Integration")]
public sealed class BazelBuildEndToEndTests(MiniServerBuild mini, ScratchWorkspace scratch, ITestOutputHelper output) : IClassFixture<ScratchWorkspace>
{
    private const string Stropts = "/usr/include/stropts.h";

    [Fact]
    public void Builds_the_mini_server_into_bazel_bin_and_logs_the_full_command()
    {
        Assert.Equal(ServerBinary.PathFor(TestPaths.ServingMini), mini.BinaryPath);
        Assert.True(File.Exists(mini.BinaryPath), mini.BinaryPath);
        var log = File.ReadAllText(mini.Result.LogPath);
        Assert.Contains("--output_filter=DONT_MATCH_ANYTHING --config=release --jobs=", log);
        Assert.Contains("INFO: Build completed successfully", log);
    }

    [Fact]
    public async Task A_second_build_with_nothing_changed_executes_no_actions()
    {
        using var root = new TempDir();
        var console = new StringWriter();
        using var log = new TaskLog(null, console);
        var result = await new BazelBuildStage().BuildAsync(new StageContext(mini.Options, new ToolkitPaths(root.Path), log), CancellationToken.None);
        output.WriteLine(console.ToString());
        Assert.NotNull(result.Summary);
        Assert.Equal(0, result.Summary!.Executed);
        Assert.Equal(result.Summary.Total, result.Summary.Internal);

        // The console view: the command, Bazel's closing lines, the elapsed time and the binary's absolute path.
        var text = console.ToString();
        Assert.Contains($"$ {(await HostBazel.ReadAsync(output)).Path} build --color=no --curses=no", text);
        Assert.Contains("  INFO: Build completed successfully", text);
        Assert.Matches(@"BazelBuild finished in \d+\.\ds", text);
        Assert.Contains("server binary: " + ServerBinary.PathFor(TestPaths.ServingMini), text);
        Assert.DoesNotContain("Loading:", text);
    }

    [Fact]
    public async Task Missing_stropts_h_fails_with_the_seeds_fix_and_auto_fix_recovers()
    {
        Require.Program("bazel", "bazel-bootstrap");
        Assert.True(Require.IsRoot, "this test stages /usr/include/stropts.h and must run as root");
        var saved = File.Exists(Stropts) ? File.ReadAllBytes(Stropts) : null;
        try
        {
            File.Delete(Stropts);

            // A unique comment gives @curl//:curl a new action key, so it really compiles instead of
            // coming from the shared disk cache (system headers are not part of the key).
            File.AppendAllText(Path.Combine(scratch.ServingDir, "third_party/curl/lib/if2ip.c"), $"/* {Guid.NewGuid()} */\n");
            var cache = mini.Options.CacheDir;

            var failure = await Assert.ThrowsAsync<BazelBuildFailedException>(() => scratch.BuildAsync(output, cache));
            Assert.Equal("stropts-h-missing", failure.Diagnoses[0].Signature.Name);
            Assert.Contains("touch /usr/include/stropts.h", failure.Message);
            Assert.Contains("--auto-fix", failure.Message);
            Assert.Contains("fatal error: stropts.h: No such file or directory", File.ReadAllText(scratch.BazelLog));
            Assert.False(File.Exists(Stropts));

            var fixedBuild = await scratch.BuildAsync(output, cache, null, "--auto-fix");
            Assert.Contains(fixedBuild.FixedOnTheWay, d => d.Signature.Name == "stropts-h-missing");
            Assert.True(File.Exists(fixedBuild.BinaryPath));
            Assert.Equal(0, new FileInfo(Stropts).Length);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(Stropts));
        }
        finally
        {
            File.Delete(Stropts);
            if (saved is not null)
            {
                File.WriteAllBytes(Stropts, saved);
                File.SetUnixFileMode(Stropts, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }
        }
    }

    [Fact]
    public async Task Bzip2_missing_from_the_actions_PATH_is_diagnosed()
    {
        Require.Program("bazel", "bazel-bootstrap");
        Require.Program("bzip2", "bzip2");
        using var bin = new TempDir("servingbuild-nobzip2");

        // Everything on the host's PATH except bzip2, so tar and the compilers are still found.
        foreach (var dir in new[] { "/usr/local/bin", "/usr/bin", "/bin" })
        {
            foreach (var file in Directory.Exists(dir) ? Directory.GetFiles(dir) : [])
            {
                var name = Path.GetFileName(file);
                var link = Path.Combine(bin.Path, name);
                if (!name.Contains("bzip2", StringComparison.Ordinal) && name is not ("bunzip2" or "bzcat") && !File.Exists(link))
                {
                    File.CreateSymbolicLink(link, file);
                }
            }
        }

        var failure = await Assert.ThrowsAsync<BazelBuildFailedException>(
            () => scratch.BuildAsync(output, mini.Options.CacheDir, null, $"--bazel-opt=--action_env=PATH={bin.Path}"));
        Assert.Equal("bzip2-missing", failure.Diagnoses[0].Signature.Name);
        Assert.Contains("install bzip2", failure.Message);
        Assert.Contains("tar (child): bzip2: Cannot exec: No such file or directory", File.ReadAllText(scratch.BazelLog));
    }

    [Fact]
    public async Task A_checkout_pinning_another_Bazel_fails_before_building_unless_allowed()
    {
        Require.Program("bazel", "bazel-bootstrap");
        using var checkout = new TempDir();
        checkout.Write("WORKSPACE", "workspace(name = \"tf_serving\")\n");
        checkout.Write(WantedBazelVersion.DockerfileRelative, "FROM ubuntu:22.04\nENV BAZEL_VERSION=7.4.1\n");
        using var cache = new TempDir();
        var paths = new ToolkitPaths(checkout.Combine("toolkit"));

        var strict = OptionsParser.Parse([$"--serving-dir={checkout.Path}", $"--cache-dir={cache.Path}"], TestPaths.Toolkit);
        var ex = await Assert.ThrowsAsync<BazelVersionMismatchException>(
            () => new BazelBuildStage().BuildAsync(new StageContext(strict, paths, Require.Log(output)), CancellationToken.None));
        var hostBazel = (await HostBazel.ReadAsync(output)).Version;
        Assert.Equal(hostBazel, ex.Found);
        Assert.Contains("7.4.1", ex.Message);
        Assert.Contains("--install-bazel", ex.Message);
        Assert.Contains("--allow-bazel-mismatch", ex.Message);

        var console = new StringWriter();
        var allowed = OptionsParser.Parse([$"--serving-dir={checkout.Path}", $"--cache-dir={cache.Path}", "--allow-bazel-mismatch", "--dry-run"], TestPaths.Toolkit);
        var result = await new BazelBuildStage().BuildAsync(new StageContext(allowed, paths, new TaskLog(null, console)), CancellationToken.None);
        Assert.Contains($"warning: Bazel {hostBazel}", console.ToString());
        Assert.Equal("build", result.Arguments[0]);
    }
}
