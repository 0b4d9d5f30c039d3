using ServingBuild.BazelBuild;
using ServingBuild.Doctor;
using ServingBuild.Host;
using ServingBuild.Options;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Doctor;

/// <summary>Doctor asks the Bazel the build would use (the one locator), reads its version as BazelBuild does, and says where the pin came from.</summary>
[Trait("Category", "Integration")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DoctorBazelTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Doctor_probes_the_bazel_option_and_reads_a_pre_release_whole()
    {
        using var dir = new TempDir();
        var fake = dir.Write("tools/bazel-pre", "#!/bin/sh\necho 'bazel 6.0.0-pre.20220414.2'\n");
        File.SetUnixFileMode(fake, (UnixFileMode)0b111_101_101);
        dir.Write("serving/WORKSPACE", "versions.check(\"6.0.0-pre.20220414.2\")\n");
        var console = new StringWriter();
        using var log = new TaskLog(null, console);
        var context = new StageContext(OptionsParser.Parse(["--serving-dir=" + dir.Combine("serving"), "--bazel=" + fake], TestPaths.Toolkit), TestPaths.Toolkit, log);
        await using var executor = new LocalExecutor(context.Runner);

        var report = await DoctorStage.ExamineAsync(context, executor, CancellationToken.None);
        foreach (var line in report.Lines())
        {
            output.WriteLine(line);
        }

        var found = Assert.Single(report.Rows, r => r.Item == "bazel found");
        Assert.Equal($"{fake}: bazel 6.0.0-pre.20220414.2 (from --bazel)", found.Detail);
        var wanted = Assert.Single(report.Rows, r => r.Item == "bazel wanted");
        Assert.Equal("ok", wanted.Status);
        Assert.Equal($"6.0.0-pre.20220414.2 (from {dir.Combine("serving", "WORKSPACE")}:1 (versions.check))", wanted.Detail);
    }

    [Fact]
    public async Task A_bazel_option_naming_nothing_is_reported_not_replaced_by_PATH()
    {
        using var dir = new TempDir();
        var gone = dir.Write("tools/bazel", "#!/bin/sh\necho 'bazel 7.4.1'\n");
        var context = new StageContext(OptionsParser.Parse(["--bazel=" + gone], TestPaths.Toolkit), TestPaths.Toolkit, Require.Log(output));
        File.Delete(gone);
        await using var executor = new LocalExecutor(context.Runner);

        var report = await DoctorStage.ExamineAsync(context, executor, CancellationToken.None);
        var found = Assert.Single(report.Rows, r => r.Item == "bazel found");
        Assert.Equal("missing", found.Status);
        Assert.Contains(gone, found.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_locator_prefers_the_option_then_BAZEL_then_the_pinned_install_then_PATH()
    {
        using var dir = new TempDir();
        string Fake(string relative, string version)
        {
            var path = dir.Write(relative, $"#!/bin/sh\necho 'bazel {version}'\n");
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
            return path;
        }

        var onPath = Fake("path/bazel", "4.2.3");
        var pinned = Fake("cache/bazel/7.4.1/bin/bazel", "7.4.1");
        var viaEnv = Fake("env/bazel", "6.5.0");
        var env = new Dictionary<string, string?> { ["PATH"] = Path.GetDirectoryName(onPath) };

        Assert.Equal(new BazelLocation(onPath, "PATH"), BazelLocator.Find(null, env, "7.4.1", dir.Combine("cache")));

        // Only a complete install of ours counts: its marker names the checksum.
        dir.Write("cache/bazel/7.4.1/" + BazelInstaller.MarkerName, "asset=bazel-7.4.1-linux-x86_64\nsha256=" + new string('a', 64) + "\n");
        Assert.Equal(pinned, BazelLocator.Find(null, env, "7.4.1", dir.Combine("cache"))!.Path);
        Assert.Equal(onPath, BazelLocator.Find(null, env, "6.5.0", dir.Combine("cache"))!.Path);

        env["BAZEL"] = viaEnv;
        Assert.Equal(new BazelLocation(viaEnv, "$BAZEL"), BazelLocator.Find(null, env, "7.4.1", dir.Combine("cache")));
        Assert.Equal(new BazelLocation(onPath, "--bazel"), BazelLocator.Find(onPath, env, "7.4.1", dir.Combine("cache")));

        // BazelBuild's reader takes the pinned install's version from its folder (releases before 1.0 have no --version).
        env.Remove("BAZEL");
        var found = await InstalledBazel.FindAsync(null, env, new ProcessRunner(Require.Log(output)), CancellationToken.None, dir.Combine("cache"), "7.4.1");
        Assert.Equal((pinned, "7.4.1"), (found.Path, found.Version));
        Assert.StartsWith("the pinned 7.4.1 installed in ", found.HowFound, StringComparison.Ordinal);
    }
}
