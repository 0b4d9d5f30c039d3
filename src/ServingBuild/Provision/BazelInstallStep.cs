using ServingBuild.BazelBuild;

namespace ServingBuild.Provision;

/// <summary>
/// The plan step that installs the Bazel release a checkout wants into a tools folder
/// (/opt/servingbuild/bazel/VERSION/bazel) and links /usr/local/bin/bazel to it. The release and its .sha256 file
/// are the ones <see cref="BazelRelease"/> names (the BazelBuild stage's --install-bazel uses the same); the
/// binary is checked with sha256sum and nothing downloaded is ever piped into a shell.
/// </summary>
public static class BazelInstallStep
{
    public static string ToolsDir(string version) => $"/opt/servingbuild/bazel/{version}";

    public static ProvisionStep For(string version, string architecture)
    {
        var release = BazelRelease.ForLinux(version, architecture);
        var file = release.FileName;
        var dir = ToolsDir(version);
        return new ProvisionStep(
            "bazel",
            $"Install Bazel {version} into {dir} (SHA-256 checked) and link /usr/local/bin/bazel to it",
            // Running it proves it starts on this host (a release built for a newer glibc would not).
            $"test -x \"$SYSROOT{dir}/bazel\" && [ \"$(readlink \"$SYSROOT/usr/local/bin/bazel\")\" = \"$SYSROOT{dir}/bazel\" ] \\\n  && \"$SYSROOT{dir}/bazel\" --version",
            $"""
            download="$(mktemp -d)"
            trap 'rm -rf "$download"' EXIT
            curl -fsSL --retry 3 -o "$download/{file}" '{release.BinaryUrl}'
            curl -fsSL --retry 3 -o "$download/{file}.sha256" '{release.ChecksumUrl}'
            (cd "$download" && sha256sum -c '{file}.sha256')
            mkdir -p "$SYSROOT{dir}" "$SYSROOT/usr/local/bin"
            install -m 0755 "$download/{file}" "$SYSROOT{dir}/bazel"
            ln -sfn "$SYSROOT{dir}/bazel" "$SYSROOT/usr/local/bin/bazel"
            """,
            NeedsRoot: true)
        {
            Why = "the checkout pins this Bazel version; an older or newer one fails (e.g. \"does not contain symbol 'cc_autoconf_impl'\")",
        };
    }
}
