using ServingBuild.BazelBuild;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.BazelBuild;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Trait("Category", "Integration")]
public sealed class InstalledBazelTests
{
    private static string FakeBazel(TempDir dir, string version)
    {
        var path = dir.Write("bin/bazel", $"#!/bin/sh\necho 'bazel {version}'\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public async Task Bazel_option_wins_over_BAZEL_and_PATH_and_its_version_is_asked()
    {
        using var dir = new TempDir();
        var fake = FakeBazel(dir, "7.4.1");
        var env = new Dictionary<string, string?> { ["BAZEL"] = "/nonexistent/bazel", ["PATH"] = "/nonexistent" };
        var found = await InstalledBazel.FindAsync(fake, env, new ProcessRunner(TaskLog.Null), CancellationToken.None);
        Assert.Equal((fake, "7.4.1", "--bazel"), (found.Path, found.Version, found.HowFound));
    }

    [Fact]
    public async Task BAZEL_then_PATH_are_searched_and_a_missing_one_names_the_fix()
    {
        using var dir = new TempDir();
        var fake = FakeBazel(dir, "6.5.0");
        var viaPath = await InstalledBazel.FindAsync(null, new Dictionary<string, string?> { ["PATH"] = Path.GetDirectoryName(fake) }, new ProcessRunner(TaskLog.Null), CancellationToken.None);
        Assert.Equal(("6.5.0", "PATH"), (viaPath.Version, viaPath.HowFound));
        var viaEnv = await InstalledBazel.FindAsync(null, new Dictionary<string, string?> { ["BAZEL"] = fake, ["PATH"] = "/nonexistent" }, new ProcessRunner(TaskLog.Null), CancellationToken.None);
        Assert.Equal("$BAZEL", viaEnv.HowFound);

        var ex = Assert.Throws<ProgramNotFoundException>(() => InstalledBazel.Locate(null, new Dictionary<string, string?> { ["PATH"] = "/nonexistent" }));
        Assert.Contains("--install-bazel", ex.Message);
    }

    [Fact]
    public async Task The_version_is_remembered_per_binary_until_the_binary_changes()
    {
        using var dir = new TempDir();
        using var cache = new TempDir();
        var fake = FakeBazel(dir, "7.4.1");
        var runner = new ProcessRunner(TaskLog.Null);
        Assert.Equal("7.4.1", (await InstalledBazel.FindAsync(fake, new Dictionary<string, string?>(), runner, CancellationToken.None, cache.Path)).Version);

        // Same size and time stamp: the remembered answer is used without running the binary.
        var stamp = File.GetLastWriteTimeUtc(fake);
        File.WriteAllText(fake, "#!/bin/sh\necho 'bazel 7.4.2'\n");
        File.SetLastWriteTimeUtc(fake, stamp);
        Assert.Equal("7.4.1", (await InstalledBazel.FindAsync(fake, new Dictionary<string, string?>(), runner, CancellationToken.None, cache.Path)).Version);

        // A replaced binary (new time stamp) is asked again.
        File.SetLastWriteTimeUtc(fake, stamp.AddMinutes(1));
        Assert.Equal("7.4.2", (await InstalledBazel.FindAsync(fake, new Dictionary<string, string?>(), runner, CancellationToken.None, cache.Path)).Version);
    }

    [Fact]
    public async Task Debians_no_version_build_is_identified_through_its_package()
    {
        var bazel = Require.Program("bazel", "bazel-bootstrap");
        Require.Program("dpkg-query", "dpkg");
        var found = await InstalledBazel.FindAsync(bazel, new Dictionary<string, string?>(), new ProcessRunner(TaskLog.Null), CancellationToken.None);
        Assert.Equal((await HostBazel.ReadAsync()).Version, found.Version);
    }
}
