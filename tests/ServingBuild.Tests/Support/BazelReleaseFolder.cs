using System.Security.Cryptography;
using System.Text;
using ServingBuild.BazelBuild;

namespace ServingBuild.Tests.Support;

/// <summary>
/// A Bazel release folder in GitHub's layout (&lt;root&gt;/&lt;version&gt;/&lt;asset&gt; and &lt;asset&gt;.sha256), made on the spot from
/// this host's real Bazel (Debian's bazel-bootstrap): the plain-binary shape is a copy of the real binary, the
/// installer shape a small self-extracting script that installs that binary under --prefix as upstream's
/// installers do (bin/bazel a link into lib/bazel/bin).
/// </summary>
public sealed class BazelReleaseFolder
{
    public BazelReleaseFolder(string root)
    {
        Root = root;
        RealBazel = FindRealBazel();
    }

    public string Root { get; }

    /// <summary>The ELF binary behind `bazel` on PATH (Debian's /usr/bin/bazel is a wrapper script around bazel-&lt;major&gt;).</summary>
    public string RealBazel { get; }

    /// <summary>Publishes the asset <see cref="BazelRelease.ForLinux"/> chooses for the version, and its .sha256.</summary>
    public BazelRelease Publish(string version, bool wrongChecksum = false)
    {
        var release = BazelRelease.ForLinux(version, "x86_64");
        var dir = Path.Combine(Root, version);
        Directory.CreateDirectory(dir);
        var asset = Path.Combine(dir, release.FileName);
        if (release.Kind == BazelAssetKind.Binary)
        {
            File.Copy(RealBazel, asset, overwrite: true);
        }
        else
        {
            using var file = File.Create(asset);
            file.Write(Encoding.ASCII.GetBytes(InstallerHead));
            using var binary = File.OpenRead(RealBazel);
            binary.CopyTo(file);
        }

        var hex = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(asset)));
        if (wrongChecksum)
        {
            hex = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes("another file")));
        }

        File.WriteAllText(asset + ".sha256", $"{hex}  {release.FileName}\n");
        return release;
    }

    /// <summary>The --version line the real binary prints (Debian's: "bazel no_version").</summary>
    public static string VersionLine(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";

    private const string InstallerHead = """
        #!/bin/bash
        # Stand-in of bazel-<v>-installer-linux-x86_64.sh: installs the binary appended after the payload line under --prefix.
        set -euo pipefail
        prefix=""
        for arg in "$@"; do
          case "$arg" in
            --prefix=*) prefix="${arg#--prefix=}" ;;
            *) echo "unknown option: $arg" >&2; exit 2 ;;
          esac
        done
        [ -n "$prefix" ] || { echo "this installer needs --prefix=DIR" >&2; exit 2; }
        mkdir -p "$prefix/lib/bazel/bin" "$prefix/bin"
        start="$(awk '/^__PAYLOAD_BELOW__$/ { print NR + 1; exit }' "$0")"
        tail -n +"$start" "$0" > "$prefix/lib/bazel/bin/bazel"
        chmod 0755 "$prefix/lib/bazel/bin/bazel"
        ln -sf "$prefix/lib/bazel/bin/bazel" "$prefix/bin/bazel"
        echo "Bazel is now installed under $prefix"
        exit 0
        __PAYLOAD_BELOW__

        """;

    private static string FindRealBazel()
    {
        var bazel = Require.Program("bazel", "bazel-bootstrap");
        var real = new FileInfo(bazel).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? bazel;
        if (IsElf(real))
        {
            return real;
        }

        var dir = Path.GetDirectoryName(real)!;
        var candidate = new[] { Path.Combine(dir, "bazel-real") }
            .Concat(Directory.GetFiles(dir, "bazel-*").Order(StringComparer.Ordinal))
            .Where(File.Exists)
            .Select(p => new FileInfo(p).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? p)
            .FirstOrDefault(p => File.Exists(p) && IsElf(p));
        Assert.True(candidate is not null, $"{bazel} is a wrapper and no ELF bazel-* binary is beside it in {dir}");
        return candidate!;
    }

    private static bool IsElf(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return file.Read(magic) == 4 && magic.SequenceEqual((ReadOnlySpan<byte>)[0x7f, (byte)'E', (byte)'L', (byte)'F']);
    }
}
