using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace ServingBuild.BazelBuild;

/// <summary>
/// One Bazel release binary as GitHub publishes it (bazel-&lt;v&gt;-linux-x86_64 beside a .sha256 file),
/// and where the toolkit keeps it: &lt;cache&gt;/bazel/&lt;v&gt;/bazel.
/// </summary>
public sealed partial record BazelRelease(string Version, string Platform)
{
    public const string DownloadBase = "https://github.com/bazelbuild/bazel/releases/download";

    public static BazelRelease ForThisHost(string version)
    {
        var arch = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x86_64",
            Architecture.Arm64 => "arm64",
            var other => throw new ToolkitException($"no Bazel release binary for {other}; install Bazel by hand and pass --bazel=PATH", ExitCodes.Prerequisite),
        };
        var os = OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "darwin" : throw new ToolkitException("--install-bazel supports Linux and macOS; install Bazel by hand and pass --bazel=PATH", ExitCodes.Prerequisite);
        return new BazelRelease(version, $"{os}-{arch}");
    }

    /// <summary>The Linux release for an architecture as `uname -m` prints it (x86_64, aarch64), e.g. for a remote host.</summary>
    public static BazelRelease ForLinux(string version, string unameArchitecture) =>
        new(version, "linux-" + (unameArchitecture is "aarch64" or "arm64" ? "arm64" : "x86_64"));

    public string FileName => $"bazel-{Version}-{Platform}";
    public Uri BinaryUrl => new($"{DownloadBase}/{Version}/{FileName}");
    public Uri ChecksumUrl => new($"{DownloadBase}/{Version}/{FileName}.sha256");

    public string CachedPath(string cacheDir) => Path.Combine(cacheDir, "bazel", Version, "bazel");

    /// <summary>The hex digest from a .sha256 file ("&lt;64 hex&gt;  bazel-7.4.1-linux-x86_64"), checked to name this file.</summary>
    public string ParseChecksumFile(string text)
    {
        var m = ChecksumLine().Match(text.Trim());
        if (!m.Success)
        {
            throw new BazelDownloadException($"{ChecksumUrl}: not a SHA-256 checksum file (expected '<64 hex digits>  {FileName}'); the release may not exist");
        }

        var named = m.Groups["file"].Value.TrimStart('*');
        if (named.Length > 0 && named != FileName)
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
            throw new BazelDownloadException($"{file}: SHA-256 {actual} does not match the release's {expectedHex}; the download is corrupt or tampered with, nothing was installed");
        }
    }

    [GeneratedRegex(@"^(?<hex>[0-9a-fA-F]{64})(\s+(?<file>\S+))?$")]
    private static partial Regex ChecksumLine();
}
