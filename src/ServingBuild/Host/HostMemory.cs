using System.Globalization;

namespace ServingBuild.Host;

/// <summary>
/// A host's memory as its kernel reports it in /proc/meminfo. The one reader of that format: for this machine
/// (Bazel's --jobs and --local_ram_resources) and for a probed host (the probe forwards the kernel's lines as they are).
/// </summary>
public sealed record HostMemory(long TotalBytes, long AvailableBytes)
{
    public const string MemInfoPath = "/proc/meminfo";

    /// <summary>From lines in /proc/meminfo's form ("MemTotal:  16266764 kB"); other lines are ignored. Null without MemTotal.</summary>
    public static HostMemory? Parse(IEnumerable<string> lines)
    {
        long total = 0, available = 0;
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var words = line[(colon + 1)..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || !long.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
            {
                continue;
            }

            // The kernel writes "kB" and means KiB.
            var bytes = words.Length > 1 && words[1] == "kB" ? amount * 1024 : amount;
            switch (line[..colon])
            {
                case "MemTotal":
                    total = bytes;
                    break;
                case "MemAvailable":
                    available = bytes;
                    break;
            }
        }

        return total > 0 ? new HostMemory(total, available) : null;
    }

    /// <summary>This machine's memory; where there is no /proc/meminfo (not Linux), what the runtime reports.</summary>
    public static HostMemory ReadLocal()
    {
        try
        {
            if (Parse(File.ReadLines(MemInfoPath)) is { } memory)
            {
                return memory;
            }
        }
        catch (IOException)
        {
            // Not Linux: fall through to the runtime's figure.
        }

        var gc = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return new HostMemory(gc, gc);
    }
}
