using System.Globalization;

namespace ServingBuild.Tests.Support;

/// <summary>Who this test process runs as, read from the kernel (/proc/self/status), not from $USER.</summary>
public static class ThisProcess
{
    /// <summary>The real user id: the first number of the "Uid:" line.</summary>
    public static int UserId =>
        int.Parse(
            File.ReadLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal))
                .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1],
            CultureInfo.InvariantCulture);

    public static bool IsRoot => UserId == 0;
}
