using ServingBuild.BazelBuild;
using ServingBuild.Host;
using ServingBuild.Processes;
using ServingBuild.Provision;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.BazelBuild;

/// <summary>--auto-fix applies the Provision plans' own steps through the plan runner: one stropts fix, one bzip2 install.</summary>
[Trait("Category", "Integration")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SafeFixerTests(ITestOutputHelper output)
{
    [Fact]
    public void Each_fix_is_a_step_of_the_plans()
    {
        var debian = HostFacts.Parse("probe=servingbuild-1\nos.ID=debian\n");
        Assert.Same(StroptsShim.Step, SafeFixer.StepFor(SafeFix.StroptsShim, debian));
        var bzip2 = SafeFixer.StepFor(SafeFix.InstallBzip2, debian)!;
        Assert.Equal(DebianPlan.Apt("bzip2", ["bzip2"], "").Check, bzip2.Check);
        Assert.Null(SafeFixer.StepFor(SafeFix.InstallBzip2, HostFacts.Parse("probe=servingbuild-1\nos.ID=alpine\n")));
        Assert.Null(SafeFixer.StepFor(SafeFix.None, debian));
    }

    [Fact]
    public async Task The_stropts_fix_runs_the_plan_step_once_and_leaves_an_existing_header_alone()
    {
        using var root = new TempDir("sb-fix");
        var runner = new ProcessRunner(Require.Log(output));
        await using var executor = new LocalExecutor(runner, ["env", "SERVINGBUILD_SYSROOT=" + root.Path]);
        var fixer = new SafeFixer(runner, executor);
        var header = root.Combine("usr", "include", "stropts.h");

        Assert.True(await fixer.ApplyAsync(SafeFix.StroptsShim, CancellationToken.None));
        Assert.Equal(0, new FileInfo(header).Length);
        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(header));

        File.WriteAllText(header, "/* a real header */\n");
        Assert.True(await fixer.ApplyAsync(SafeFix.StroptsShim, CancellationToken.None));
        Assert.Equal("/* a real header */\n", File.ReadAllText(header));
    }
}
