namespace ServingBuild.Host;

/// <summary>
/// One small shell probe, run through an executor, that prints the host's facts as key=value lines. Written for
/// the oldest host we serve (CentOS 7: bash 4.2, coreutils 8.22), reading only: it never changes the host.
/// </summary>
public static class HostProbe
{
    public const string Marker = "servingbuild-1";

    public const string Script = """
        # Bazel's answer (and its package's) takes ~0.2 s; it runs while the rest of the probe does. The caller may
        # have set bazel_bin (BazelLocator's choice, possibly empty); otherwise it is bazel on PATH.
        bazel_bin="${bazel_bin-$(command -v bazel 2>/dev/null || true)}"
        if [ -n "$bazel_bin" ]; then
          exec {bazel_fd}< <(
            echo "bazel_path=$bazel_bin"
            version="$("$bazel_bin" --version 2>/dev/null | head -n 1 || true)"
            echo "bazel_version=$version"
            # A packaged source build (Debian's bazel-bootstrap) prints "bazel no_version": its package knows the
            # release. The owner is found in dpkg's file lists of bazel packages (dpkg -S would read them all).
            case "$version" in
              *no_version*)
                real="$(readlink -f "$bazel_bin")"
                for list in /var/lib/dpkg/info/bazel*.list; do
                  if [ -e "$list" ] && grep -qxF "$real" "$list"; then
                    owner="${list##*/}"
                    owner="${owner%.list}"
                    echo "bazel_package_version=$(dpkg-query -W -f='${Version}' "${owner%%:*}" 2>/dev/null || true)"
                    break
                  fi
                done
                ;;
            esac
          )
        fi
        echo "probe=servingbuild-1"
        echo "uid=$EUID"
        echo "user=$(id -un 2>/dev/null || echo unknown)"
        if [ -r /etc/os-release ]; then
          sed -n -e 's/^\(ID\|VERSION_ID\|ID_LIKE\|PRETTY_NAME\)=/os.\1=/p' /etc/os-release
        fi
        read -r kernel arch <<< "$(uname -rm)"
        echo "arch=$arch"
        echo "kernel=$kernel"
        echo "glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null || ldd --version 2>/dev/null | head -n 1 || true)"
        for lib in /usr/lib64/libstdc++.so.6 /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/aarch64-linux-gnu/libstdc++.so.6 /usr/lib/libstdc++.so.6; do
          if [ -e "$lib" ]; then
            echo "glibcxx=$(grep -ao 'GLIBCXX_3\.4\.[0-9]*' "$lib" | sort -t. -k3,3n -u | tail -n 1)"
            break
          fi
        done
        echo "cpus=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)"
        # The kernel's own lines: HostMemory reads them here and on this machine alike.
        grep -E '^(MemTotal|MemAvailable):' /proc/meminfo
        disk="${HOME:-/}"
        [ -d "$disk" ] || disk=/
        echo "disk_path=$disk"
        df -Pk "$disk" | awk 'NR == 2 { print "disk_free_kib=" $4 }'
        if [ "$EUID" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
          echo "sudo=yes"
        else
          echo "sudo=no"
        fi
        if [ -n "$bazel_bin" ]; then
          while IFS= read -r line <&"$bazel_fd"; do echo "$line"; done
          exec {bazel_fd}<&-
        fi
        """;

    /// <summary>Runs the probe through the executor and sets the executor's elevation from what it found.</summary>
    public static Task<HostFacts> GatherAsync(IHostExecutor executor, CancellationToken cancellationToken) =>
        GatherAsync(executor, bazelSearch: null, cancellationToken);

    /// <summary>
    /// The probe, asking the Bazel that <paramref name="bazelSearch"/> finds on the host (see <see cref="BazelSearch"/>)
    /// instead of `bazel` on PATH.
    /// </summary>
    public static async Task<HostFacts> GatherAsync(IHostExecutor executor, string? bazelSearch, CancellationToken cancellationToken)
    {
        var result = await executor.RunAsync((bazelSearch ?? "") + Script, asRoot: false, onLine: null, TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            var last = result.Tail.LastOrDefault(l => !string.IsNullOrWhiteSpace(l))?.Trim() ?? "no output";
            throw new HostProbeException($"probing {executor.Where} failed (exit code {result.ExitCode}): {last}");
        }

        var facts = HostFacts.Parse(result.StandardOutput);
        executor.Elevation = facts.Elevation;
        return facts;
    }

    /// <summary>
    /// Bash that sets bazel_bin for the probe: the first executable of <paramref name="candidates"/>, else
    /// <paramref name="pathName"/> looked up on the host's PATH (null: no PATH lookup; bazel_bin stays empty).
    /// The words are quoted: they come from options and the checkout.
    /// </summary>
    public static string BazelSearch(IReadOnlyList<string> candidates, string? pathName)
    {
        var lines = new List<string>
        {
            "bazel_bin=\"\"",
            $"for candidate in {string.Join(' ', candidates.Select(Processes.ShellQuote.Quote))}; do",
            "  if [ -x \"$candidate\" ]; then bazel_bin=\"$candidate\"; break; fi",
            "done",
        };
        if (pathName is not null)
        {
            lines.Add($"[ -n \"$bazel_bin\" ] || bazel_bin=\"$(command -v {Processes.ShellQuote.Quote(pathName)} 2>/dev/null || true)\"");
        }

        return string.Join('\n', lines) + "\n";
    }
}
