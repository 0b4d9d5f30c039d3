using ServingBuild.Host;
using ServingBuild.Processes;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Host;

/// <summary>The probe run on this machine reports what the machine itself says (read here without the probe).</summary>
[Trait("Category", "Integration")]
public class HostProbeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_probe_run_here_reads_this_machine()
    {
        await using var executor = new LocalExecutor(new ProcessRunner(Require.Log(output)));
        var facts = await HostProbe.GatherAsync(executor, CancellationToken.None);

        var osRelease = File.ReadAllLines("/etc/os-release").First(l => l.StartsWith("ID=", StringComparison.Ordinal))[3..].Trim('"');
        Assert.Equal(osRelease, facts.OsId);
        Assert.Equal(ThisProcess.UserId, facts.UserId);
        Assert.Equal(Environment.UserName, facts.UserName);
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
