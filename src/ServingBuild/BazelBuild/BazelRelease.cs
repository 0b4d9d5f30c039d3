using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace ServingBuild.BazelBuild;

/// <summary>
/// One Bazel release asset as GitHub publishes it (&lt;base&gt;/&lt;v&gt;/&lt;asset&gt; beside &lt;asset&gt;.sha256), the
/// shape chosen per version, and where the toolkit installs it: a folder per version, &lt;root&gt;/&lt;v&gt;/bin/bazel,
/// side by side with any other Bazel and never over a system one.
/// </summary>
/// <remarks>
/// Every release has the installer (bazel-&lt;v&gt;-installer-linux-x86_64.sh); the plain binary
/// (bazel-&lt;v&gt;-linux-x86_64) is known from 0.18.0 on (FACTS.md: public Dockerfiles fetch it for 0.18.0 and
/// 0.24.1, while for 0.4.x and 0.5.x only installers are referenced anywhere). So releases before 0.18.0 use the
/// installer and later ones the plain binary, which needs no unzip and runs nothing at install time.
/// </remarks>
public sealed partial record BazelRelease(string Version, string Platform)
{
    public const string DownloadBase = "https://github.com/bazelbuild/bazel/releases/download";

    /// <summary>The first release this toolkit fetches as a plain binary; older ones come as installers.</summary>
    public const string PlainBinarySince = "0.18.0";

    /// <summary>Binary or installer; see <see cref="ForLinux"/>.</summary>
    public BazelAssetKind Kind { get; init; } = BazelAssetKind.Binary;

    /// <summary>GitHub's release download folder, or a mirror with the same layout (--bazel-mirror), without a trailing slash.</summary>
    public string BaseUrl { get; init; } = DownloadBase;

    /// <summary>The asset this version has on Linux: the installer before <see cref="PlainBinarySince"/>, the plain binary after.</summary>
    public static BazelAssetKind KindFor(string version) =>
        BazelVersion.IsBefore(version, PlainBinarySince) ? BazelAssetKind.Installer : BazelAssetKind.Binary;

    public static BazelRelease ForThisHost(string version, string? mirror = null)
    {
        var arch = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x86_64",
            Architecture.Arm64 => "arm64",
            var other => throw new ToolkitException($"no Bazel release binary for {other}; install Bazel by hand and pass --bazel=PATH", ExitCodes.Prerequisite),
        };
        if (!OperatingSystem.IsLinux())
        {
            throw new ToolkitException("--install-bazel supports Linux; install Bazel by hand and pass --bazel=PATH", ExitCodes.Prerequisite);
        }

        return ForLinux(version, arch, mirror);
    }

    /// <summary>The Linux release for an architecture as `uname -m` prints it (x86_64, aarch64), e.g. for a remote host.</summary>
    public static BazelRelease ForLinux(string version, string unameArchitecture, string? mirror = null)
    {
        var arm = unameArchitecture is "aarch64" or "arm64";
        var kind = KindFor(version);
        if (arm && kind == BazelAssetKind.Installer)
        {
            throw new BazelDownloadException($"Bazel {version} was released for Linux x86_64 only (its installer era has no arm64 build); build on an x86_64 host or pass --bazel=PATH");
        }

        return new BazelRelease(version, "linux-" + (arm ? "arm64" : "x86_64"))
        {
            Kind = kind,
            BaseUrl = string.IsNullOrEmpty(mirror) ? DownloadBase : mirror.TrimEnd('/'),
        };
    }

    public string FileName => Kind == BazelAssetKind.Installer ? $"bazel-{Version}-installer-{Platform}.sh" : $"bazel-{Version}-{Platform}";
    public Uri AssetUrl => new($"{BaseUrl}/{Version}/{FileName}");
    public Uri ChecksumUrl => new($"{BaseUrl}/{Version}/{FileName}.sha256");

    /// <summary>Kept for callers of the first release: the asset's URL, whichever shape it is.</summary>
    public Uri BinaryUrl => AssetUrl;

    /// <summary>The installers of this era run Bazel on a JDK 8 from the host (java on PATH or JAVA_HOME).</summary>
    public bool NeedsJdk8 => Kind == BazelAssetKind.Installer;

    /// <summary>&lt;root&gt;/&lt;v&gt;: the per-version folder (the installer's --prefix).</summary>
    public string InstallDir(string root) => Path.Combine(root, Version);

    /// <summary>&lt;root&gt;/&lt;v&gt;/bin/bazel.</summary>
    public string InstalledBinary(string root) => Path.Combine(root, Version, "bin", "bazel");

    /// <summary>Where --install-bazel puts it: &lt;cache&gt;/bazel/&lt;v&gt;/bin/bazel.</summary>
    public string CachedPath(string cacheDir) => InstalledBinary(Path.Combine(cacheDir, "bazel"));

    /// <summary>The hex digest from a .sha256 file ("&lt;64 hex&gt;  bazel-7.4.1-linux-x86_64"), checked to name this file.</summary>
    public string ParseChecksumFile(string text)
    {
        var m = ChecksumLine().Match(text.Trim());
        if (!m.Success)
        {
            throw new BazelDownloadException($"{ChecksumUrl}: not a SHA-256 checksum file (expected '<64 hex digits>  {FileName}'); the release may not exist");
        }

        var named = m.Groups["file"].Value.TrimStart('*');
        if (named.Length > 0 && Path.GetFileName(named) != FileName)
        {
            throw new BazelDownloadException($"{ChecksumUrl}: the checksum is for '{named}', not {FileName}; refusing to install");
        }

        return m.Groups["hex"].Value.ToLowerInvariant();
    }

    /// <summary>Throws unless the file's SHA-256 equals the expected digest.</summary>
    public static void Verify(string file, string expectedHex)
    {
        using var stream = File.OpenRead(file);
        var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (!string.Equals(actual, expectedHex, StringComparison.OrdinalIgnoreCase))
        {
            throw new BazelDownloadException($"{Path.GetFileName(file)}: SHA-256 {actual} does not match the release's {expectedHex}; the download is corrupt or tampered with, nothing was installed");
        }
    }

    [GeneratedRegex(@"^(?<hex>[0-9a-fA-F]{64})(\s+(?<file>\S+))?$")]
    private static partial Regex ChecksumLine();
}
