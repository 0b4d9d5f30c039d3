using ServingBuild.Host;

namespace ServingBuild.BazelBuild;

/// <summary>The CPUs and memory Bazel may use on this host, memory as <see cref="HostMemory"/> reads it.</summary>
public sealed record HostResources(int Cores, long MemoryBytes)
{
    /// <summary>A C++ job of a real TensorFlow build peaks at 2 to 4 GiB; plan for 3 so gcc is not killed.</summary>
    public const long MemoryPerJobBytes = 3L << 30;

    public static HostResources Detect() => new(Environment.ProcessorCount, HostMemory.ReadLocal().TotalBytes);

    /// <summary>Jobs that fit both the cores and the memory (at least one).</summary>
    public int Jobs => (int)Math.Max(1, Math.Min(Cores, RamForBazelMb * (1L << 20) / MemoryPerJobBytes));

    /// <summary>Memory Bazel schedules against: 70% of the host, leaving room for Bazel's own JVM and the OS.</summary>
    public long RamForBazelMb => Math.Max(MinimumRamForBazelMb, MemoryBytes * RamPercentForBazel / 100 / (1L << 20));

    /// <summary>The share of the host's memory Bazel schedules against (the host script computes the same).</summary>
    public const int RamPercentForBazel = 70;

    public const long MinimumRamForBazelMb = 1024;
}
