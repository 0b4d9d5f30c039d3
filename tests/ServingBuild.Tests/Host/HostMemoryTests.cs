using ServingBuild.Host;

namespace ServingBuild.Tests.Host;

public sealed class HostMemoryTests
{
    [Fact]
    public void The_kernels_kB_are_KiB_and_other_lines_are_ignored()
    {
        var memory = HostMemory.Parse(["MemTotal:       16266764 kB", "MemFree:          123 kB", "MemAvailable:   15112000 kB", "HugePages_Total:       0"]);
        Assert.Equal(new HostMemory(16266764L * 1024, 15112000L * 1024), memory);
    }

    [Fact]
    public void Without_MemTotal_there_is_no_answer()
    {
        Assert.Null(HostMemory.Parse(["MemAvailable: 1 kB", "garbage", ""]));
    }

    [Fact]
    public void This_machine_reads_what_its_kernel_says()
    {
        var kernel = File.ReadLines(HostMemory.MemInfoPath).First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var kib = long.Parse(kernel.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(kib * 1024, HostMemory.ReadLocal().TotalBytes);
    }

    [Fact]
    public void The_probe_and_Bazels_sizing_read_the_same_lines_the_same_way()
    {
        var facts = HostFacts.Parse("probe=servingbuild-1\nMemTotal:       2048 kB\nMemAvailable:   1024 kB\n");
        Assert.Equal(2048L * 1024, facts.MemoryBytes);
        Assert.Equal(1024L * 1024, facts.MemoryAvailableBytes);
    }
}
