using ServingBuild.Host;
using ServingBuild.Provision;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Host;

public class HostFactsTests
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
}
