namespace ServingBuild.Provisioning;

/// <summary>
/// Installs the Bazel release a checkout wants into a tools folder (/opt/servingbuild/bazel/VERSION/bazel) and links
/// /usr/local/bin/bazel to it. The binary is downloaded from Bazel's GitHub release and checked with sha256sum
/// against the .sha256 file published beside it; nothing downloaded is ever piped into a shell.
/// </summary>
public static class BazelRelease
{
    public const string ReleaseUrl = "https://github.com/bazelbuild/bazel/releases/download";

    public static string ToolsDir(string version) => $"/opt/servingbuild/bazel/{version}";

    public static string Url(string version, string architecture) =>
        $"{ReleaseUrl}/{version}/bazel-{version}-linux-{(architecture is "aarch64" or "arm64" ? "arm64" : "x86_64")}";

    public static ProvisionStep Step(string version, string architecture)
    {
        var url = Url(version, architecture);
        var file = url[(url.LastIndexOf('/') + 1)..];
        var dir = ToolsDir(version);
        return new ProvisionStep(
            "bazel",
            $"Install Bazel {version} into {dir} (SHA-256 checked) and link /usr/local/bin/bazel to it",
            // Running it proves it starts on this host (a release built for a newer glibc would not).
            $"test -x \"$SYSROOT{dir}/bazel\" && [ \"$(readlink \"$SYSROOT/usr/local/bin/bazel\")\" = \"$SYSROOT{dir}/bazel\" ] \\\n  && \"$SYSROOT{dir}/bazel\" --version",
            $"""
            download="$(mktemp -d)"
            trap 'rm -rf "$download"' EXIT
            curl -fsSL --retry 3 -o "$download/{file}" '{url}'
            curl -fsSL --retry 3 -o "$download/{file}.sha256" '{url}.sha256'
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
