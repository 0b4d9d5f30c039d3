using System.Globalization;
using System.Text.RegularExpressions;

namespace ServingBuild.Host;

/// <summary>
/// What the toolkit knows about a build host, parsed from the output of <see cref="HostProbe"/> (key=value lines),
/// so a host reached over ssh is described by the same code as this machine.
/// </summary>
public sealed partial record HostFacts
{
    /// <summary>What a real TensorFlow Serving build wants free for Bazel's output base and caches.</summary>
    public const long WantedFreeDiskBytes = 30L * 1024 * 1024 * 1024;

    /// <summary>.NET 10's runtime needs GLIBC_2.27 (libcoreclr, libclrjit) and its host GLIBCXX_3.4.21 (FACTS.md).</summary>
    public static readonly Version DotnetMinimumGlibc = new(2, 27);

    public static readonly Version DotnetMinimumGlibcxx = new(3, 4, 21);

    /// <summary>os-release ID, e.g. centos, debian, ubuntu (lower case; "" when unknown).</summary>
    public string OsId { get; init; } = "";

    /// <summary>os-release VERSION_ID, e.g. 7, 12, 22.04.</summary>
    public string OsVersionId { get; init; } = "";

    /// <summary>os-release ID_LIKE words, e.g. "rhel fedora".</summary>
    public IReadOnlyList<string> OsIdLike { get; init; } = [];

    public string OsPrettyName { get; init; } = "";
    public string Architecture { get; init; } = "";
    public string Kernel { get; init; } = "";
    public Version? Glibc { get; init; }

    /// <summary>The newest GLIBCXX_ symbol version libstdc++ provides; null when libstdc++ was not found.</summary>
    public Version? Glibcxx { get; init; }

    public int Cpus { get; init; }
    public long MemoryBytes { get; init; }
    public long MemoryAvailableBytes { get; init; }

    /// <summary>Free space in the folder the probe measured (the home folder, where Bazel's output base goes).</summary>
    public long FreeDiskBytes { get; init; }

    public string DiskPath { get; init; } = "";
    public int UserId { get; init; } = -1;
    public string UserName { get; init; } = "";

    /// <summary>`sudo -n true` succeeded (only probed when not root).</summary>
    public bool PasswordlessSudo { get; init; }

    /// <summary>Path of `bazel` on PATH, or null.</summary>
    public string? BazelPath { get; init; }

    /// <summary>What `bazel --version` printed, e.g. "bazel 7.4.1" or Debian's "bazel no_version".</summary>
    public string? BazelVersionLine { get; init; }

    /// <summary>The version of the package that owns the bazel binary (e.g. Debian's 4.2.3+ds-9), or null.</summary>
    public string? BazelPackageVersion { get; init; }

    public bool IsRoot => UserId == 0;

    public Elevation Elevation => IsRoot ? Elevation.AlreadyRoot : PasswordlessSudo ? Elevation.Sudo : Elevation.Unavailable;

    public bool IsCentOs7 => OsId == "centos" && (OsVersionId == "7" || OsVersionId.StartsWith("7.", StringComparison.Ordinal));

    public bool IsDebianFamily => OsId is "debian" or "ubuntu" || OsIdLike.Contains("debian") || OsIdLike.Contains("ubuntu");

    /// <summary>The version number in <see cref="BazelVersionLine"/>, or null (Debian's bazel prints no_version).</summary>
    /// <remarks>Read whole by the one version reader: `bazel 6.0.0-pre.20220414.2` is 6.0.0-pre.20220414.2.</remarks>
    public string? BazelVersion =>
        (BazelVersionLine is { } line ? BazelBuild.BazelVersion.FromVersionOutput(line) : null)
        ?? (BazelPackageVersion is { } package ? BazelBuild.BazelVersion.FromPackageVersion(package) : null);

    /// <summary>Whether current .NET (10) can start here: glibc and libstdc++ new enough. CentOS 7 (2.17, 3.4.19) cannot.</summary>
    public bool DotnetCanStart =>
        Glibc is { } g && g >= DotnetMinimumGlibc && (Glibcxx is null || Glibcxx >= DotnetMinimumGlibcxx);

    public string OsDisplay => OsPrettyName.Length > 0 ? OsPrettyName : $"{OsId} {OsVersionId}".Trim();

    /// <summary>Parses the probe's key=value lines; unknown keys are ignored, so an older probe still parses.</summary>
    public static HostFacts Parse(string probeOutput)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in probeOutput.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var eq = line.IndexOf('=');
            if (eq > 0)
            {
                values[line[..eq]] = Unquote(line[(eq + 1)..].Trim());
            }
        }

        if (!values.TryGetValue("probe", out var probe) || probe != HostProbe.Marker)
        {
            throw new HostProbeException("the host probe printed no facts (is bash installed there?)");
        }

        string Get(string key) => values.TryGetValue(key, out var v) ? v : "";
        long Long(string key) => long.TryParse(Get(key), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;

        var memory = HostMemory.Parse(probeOutput.Split('\n'));
        return new HostFacts
        {
            OsId = Get("os.ID").ToLowerInvariant(),
            OsVersionId = Get("os.VERSION_ID"),
            OsIdLike = Get("os.ID_LIKE").ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries),
            OsPrettyName = Get("os.PRETTY_NAME"),
            Architecture = Get("arch"),
            Kernel = Get("kernel"),
            Glibc = ParseVersion(Get("glibc")),
            Glibcxx = Get("glibcxx") is { Length: > 0 } gx ? ParseVersion(gx.Replace("GLIBCXX_", "", StringComparison.Ordinal)) : null,
            Cpus = (int)Long("cpus"),
            MemoryBytes = memory?.TotalBytes ?? 0,
            MemoryAvailableBytes = memory?.AvailableBytes ?? 0,
            FreeDiskBytes = Long("disk_free_kib") * 1024,
            DiskPath = Get("disk_path"),
            UserId = int.TryParse(Get("uid"), NumberStyles.None, CultureInfo.InvariantCulture, out var uid) ? uid : -1,
            UserName = Get("user"),
            PasswordlessSudo = Get("sudo") == "yes",
            BazelPath = Get("bazel_path") is { Length: > 0 } bp ? bp : null,
            BazelVersionLine = Get("bazel_version") is { Length: > 0 } bv ? bv : null,
            BazelPackageVersion = Get("bazel_package_version") is { Length: > 0 } bpv ? bpv : null,
        };
    }

    /// <summary>The last dotted number in a line such as "ldd (GNU libc) 2.17" or "glibc 2.36".</summary>
    internal static Version? ParseVersion(string text)
    {
        var matches = VersionNumber().Matches(text);
        return matches.Count > 0 && Version.TryParse(matches[^1].Value, out var v) ? v : null;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0] ? value[1..^1] : value;

    [GeneratedRegex(@"\d+(\.\d+)+")]
    private static partial Regex VersionNumber();
}
