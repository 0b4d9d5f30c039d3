using ServingBuild.BazelBuild;
using ServingBuild.Processes;

namespace ServingBuild.Provision;

/// <summary>
/// The plan step that installs the Bazel release a checkout pins into its own folder,
/// /opt/servingbuild/bazel/VERSION/bin/bazel, beside any other Bazel and never over a system one (no link on PATH:
/// the toolkit's locator finds it there, and a user can put that bin folder first on PATH). The asset is the one
/// <see cref="BazelRelease"/> chooses for the version (the plain binary, or for releases before 0.18.0 the installer,
/// run with --prefix=that folder), fetched from GitHub or --bazel-mirror, and checked against its published .sha256
/// before anything is installed; nothing downloaded is ever piped into a shell. The folder's marker is the one
/// --install-bazel writes, so each recognises the other's install.
/// </summary>
public static class BazelInstallStep
{
    /// <summary>The first release whose binary answers `bazel --version` (the step's check runs it from here on).</summary>
    public const string VersionOptionSince = "1.0.0";

    /// <summary>The per-version folder (the installer's --prefix).</summary>
    public static string ToolsDir(string version) => $"{BazelLocator.SystemToolsRoot}/{version}";

    /// <summary>The installed binary: ToolsDir/bin/bazel.</summary>
    public static string BinaryPath(string version) => $"{ToolsDir(version)}/bin/bazel";

    public static ProvisionStep For(string version, string architecture) => For(version, architecture, mirror: null);

    public static ProvisionStep For(string version, string architecture, string? mirror)
    {
        var release = BazelRelease.ForLinux(version, architecture, mirror);
        var file = release.FileName;
        var dir = ToolsDir(version);
        var marker = BazelInstaller.MarkerName;
        var install = release.Kind == BazelAssetKind.Installer
            ? $"""
              # Bazel {version} comes as an installer only; it runs with --prefix, so nothing lands outside this folder.
              bash "$download/{file}" --prefix="$dir"
              """
            : $"""
              mkdir -p "$dir/bin"
              install -m 0755 "$download/{file}" "$dir/bin/bazel"
              """;
        return new ProvisionStep(
            "bazel",
            $"Install Bazel {version} ({file}, SHA-256 checked) into {dir}, beside any other Bazel",
            // Running it proves it starts on this host (a release built for a newer glibc would not); releases before
            // 1.0 know no --version startup option (and need a JDK to answer `bazel version`), so they are only found.
            $"grep -q '^sha256=' \"$SYSROOT{dir}/{marker}\" && test -x \"$SYSROOT{dir}/bin/bazel\""
                + (BazelVersion.IsBefore(version, VersionOptionSince) ? "" : $" \\\n  && \"$SYSROOT{dir}/bin/bazel\" --version"),
            $$"""
            dir="$SYSROOT{{dir}}"
            if [ -e "$dir" ] && [ ! -e "$dir/{{marker}}" ] && [ -n "$(ls -A "$dir")" ]; then
              echo "error: $dir exists and was not installed by ServingBuild (no {{marker}}); move it away and run again" >&2
              exit 1
            fi
            download="$(mktemp -d)"
            trap 'rm -rf "$download"' EXIT
            curl -fsSL --retry 3 -o "$download/{{file}}" {{ShellQuote.Quote(release.AssetUrl.ToString())}}
            curl -fsSL --retry 3 -o "$download/{{file}}.sha256" {{ShellQuote.Quote(release.ChecksumUrl.ToString())}}
            expected="$(cut -c1-64 "$download/{{file}}.sha256" | head -n 1)"
            actual="$(sha256sum "$download/{{file}}" | cut -c1-64)"
            if [ "${#expected}" -ne 64 ] || [ "$actual" != "$expected" ]; then
              echo "error: {{file}}: SHA-256 $actual does not match the release's ${expected:-(no checksum)}; corrupt or tampered with, nothing was installed" >&2
              exit 1
            fi
            echo "{{file}}: OK (SHA-256 $actual)"
            rm -rf "$dir"
            mkdir -p "$dir"
            echo "installing {{file}}" > "$dir/{{marker}}"
            {{install}}
            printf 'asset=%s\nsha256=%s\nfrom=%s\n' '{{file}}' "$actual" {{ShellQuote.Quote(release.AssetUrl.ToString())}} > "$dir/{{marker}}"
            echo "installed Bazel {{version}} into $dir/bin/bazel (not linked on PATH; ServingBuild finds it there)"
            """,
            NeedsRoot: true)
        {
            Why = "the checkout pins this Bazel version; an older or newer one fails (e.g. \"does not contain symbol 'cc_autoconf_impl'\")",
        };
    }

    /// <summary>What a user should read after the step: where Bazel went and, for the installer era, the JDK 8 it runs on.</summary>
    public static IReadOnlyList<string> Notes(string version, string architecture, bool jdk8Installed)
    {
        var notes = new List<string> { $"Bazel {version} is in {ToolsDir(version)}/bin (not on PATH); ServingBuild finds it there, or run: export PATH={ToolsDir(version)}/bin:$PATH" };
        if (BazelRelease.ForLinux(version, architecture).NeedsJdk8)
        {
            notes.Add(jdk8Installed
                ? $"Bazel {version} runs on JDK 8: the build-prerequisites step installs it (java-1.8.0-openjdk-devel)"
                : $"Bazel {version} runs on JDK 8, which this OS does not package: install one (e.g. Temurin 8) and set JAVA_HOME before building");
        }

        return notes;
    }
}
