using ServingBuild.Host;
using ServingBuild.Provision;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Host;

public class HostFactsTests(ITestOutputHelper output)
{
    [Fact]
    public void A_CentOS_7_probe_says_NET_cannot_start_and_chooses_the_CentOS_7_plan()
    {
        var facts = HostFacts.Parse(File.ReadAllText(Path.Combine(TestPaths.Fixtures, "provisioning", "centos7-probe.txt")));

        Assert.True(facts.IsCentOs7);
        Assert.False(facts.IsDebianFamily);
        Assert.Equal(new Version(2, 17), facts.Glibc);
        Assert.Equal(new Version(3, 4, 19), facts.Glibcxx);
        Assert.False(facts.DotnetCanStart);
        Assert.Equal(8, facts.Cpus);
        Assert.Equal(16266764L * 1024, facts.MemoryBytes);
        Assert.Equal(20L * 1024 * 1024 * 1024, facts.FreeDiskBytes);
        Assert.True(facts.FreeDiskBytes < HostFacts.WantedFreeDiskBytes);
        Assert.Equal(Elevation.Sudo, facts.Elevation);
        Assert.Equal("7.4.1", facts.BazelVersion);
        Assert.Equal("CentOS Linux 7 (Core)", facts.OsDisplay);
        Assert.StartsWith("CentOS 7", ProvisionPlanner.For(facts, new PlanInputs()).Name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("glibc 2.26", "GLIBCXX_3.4.24", false)]
    [InlineData("glibc 2.27", "GLIBCXX_3.4.20", false)]
    [InlineData("glibc 2.27", "GLIBCXX_3.4.21", true)]
    [InlineData("ldd (Debian GLIBC 2.36-9+deb12u4) 2.36", "GLIBCXX_3.4.30", true)]
    public void NET_needs_glibc_2_27_and_GLIBCXX_3_4_21(string glibc, string glibcxx, bool canStart)
    {
        var facts = HostFacts.Parse($"probe=servingbuild-1\nglibc={glibc}\nglibcxx={glibcxx}\n");
        Assert.Equal(canStart, facts.DotnetCanStart);
    }

    [Fact]
    public void Debians_bazel_prints_no_version_and_an_unknown_OS_has_no_plan()
    {
        var facts = HostFacts.Parse("probe=servingbuild-1\nos.ID=alpine\nos.VERSION_ID=3.20.0\nbazel_path=/usr/bin/bazel\nbazel_version=bazel no_version\n");
        Assert.Null(facts.BazelVersion);
        var ex = Assert.Throws<UnsupportedHostException>(() => ProvisionPlanner.For(facts, new PlanInputs()));
        Assert.Equal(ExitCodes.Prerequisite, ex.ExitCode);
        Assert.Contains("supported: CentOS 7, Debian, Ubuntu", ex.Message, StringComparison.Ordinal);

        var ubuntu = HostFacts.Parse("probe=servingbuild-1\nos.ID=linuxmint\nos.ID_LIKE=\"ubuntu debian\"\n");
        Assert.True(ubuntu.IsDebianFamily);
    }

    [Fact]
    public void Output_that_is_not_the_probes_is_refused()
    {
        Assert.Throws<HostProbeException>(() => HostFacts.Parse("bash: line 1: something went wrong\n"));
    }

    [Fact]
    public async Task The_probe_run_here_reads_this_machine()
    {
        await using var executor = new LocalExecutor(new ProcessRunner(Require.Log(output)));
        var facts = await HostProbe.GatherAsync(executor, CancellationToken.None);

        var osRelease = File.ReadAllLines("/etc/os-release").First(l => l.StartsWith("ID=", StringComparison.Ordinal))[3..].Trim('"');
        Assert.Equal(osRelease, facts.OsId);
        Assert.Equal(Environment.UserName == "root" ? 0 : facts.UserId, facts.UserId);
        Assert.Equal(facts.Elevation, executor.Elevation);
        Assert.True(facts.DotnetCanStart, $"this test runs on .NET, yet the facts say it cannot start here (glibc {facts.Glibc}, GLIBCXX {facts.Glibcxx})");
        Assert.True(facts.Cpus >= 1);
        var memKib = long.Parse(File.ReadAllLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        Assert.Equal(memKib * 1024, facts.MemoryBytes);
        Assert.True(facts.FreeDiskBytes > 0);
        Assert.Equal(Environment.OSVersion.Version.Major, int.Parse(facts.Kernel.Split('.')[0]));
        Assert.Equal(Require.Find("bazel"), facts.BazelPath);
    }
}
