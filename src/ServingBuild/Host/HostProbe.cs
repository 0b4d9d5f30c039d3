namespace ServingBuild.Host;

/// <summary>
/// One small shell probe, run through an executor, that prints the host's facts as key=value lines. Written for
/// the oldest host we serve (CentOS 7: bash 4.2, coreutils 8.22), reading only: it never changes the host.
/// </summary>
public static class HostProbe
{
    public const string Marker = "servingbuild-1";

    public const string Script = """
        echo "probe=servingbuild-1"
        echo "uid=$(id -u)"
        echo "user=$(id -un 2>/dev/null || echo unknown)"
        if [ -r /etc/os-release ]; then
          sed -n -e 's/^\(ID\|VERSION_ID\|ID_LIKE\|PRETTY_NAME\)=/os.\1=/p' /etc/os-release
        fi
        echo "arch=$(uname -m)"
        echo "kernel=$(uname -r)"
        echo "glibc=$(getconf GNU_LIBC_VERSION 2>/dev/null || ldd --version 2>/dev/null | head -n 1 || true)"
        for lib in /usr/lib64/libstdc++.so.6 /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/aarch64-linux-gnu/libstdc++.so.6 /usr/lib/libstdc++.so.6; do
          if [ -e "$lib" ]; then
            echo "glibcxx=$(grep -ao 'GLIBCXX_3\.4\.[0-9]*' "$lib" | sort -u | sort -t. -k3,3n | tail -n 1)"
            break
          fi
        done
        echo "cpus=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)"
        awk '/^MemTotal:/ { print "mem_kib=" $2 } /^MemAvailable:/ { print "mem_available_kib=" $2 }' /proc/meminfo
        disk="${HOME:-/}"
        [ -d "$disk" ] || disk=/
        echo "disk_path=$disk"
        df -Pk "$disk" | awk 'NR == 2 { print "disk_free_kib=" $4 }'
        if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
          echo "sudo=yes"
        else
          echo "sudo=no"
        fi
        if command -v bazel >/dev/null 2>&1; then
          echo "bazel_path=$(command -v bazel)"
          echo "bazel_version=$(bazel --version 2>/dev/null | head -n 1 || true)"
          # A packaged source build (Debian's bazel-bootstrap) prints "bazel no_version": its package knows the release.
          if command -v dpkg-query >/dev/null 2>&1; then
            owner="$(dpkg-query -S "$(readlink -f "$(command -v bazel)")" 2>/dev/null | head -n 1 | cut -d: -f1 || true)"
            [ -z "$owner" ] || echo "bazel_package_version=$(dpkg-query -W -f='${Version}' "$owner" 2>/dev/null || true)"
          fi
        fi
        """;

    /// <summary>Runs the probe through the executor and sets the executor's elevation from what it found.</summary>
    public static async Task<HostFacts> GatherAsync(IHostExecutor executor, CancellationToken cancellationToken)
    {
        var result = await executor.RunAsync(Script, asRoot: false, onLine: null, TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            var last = result.Tail.LastOrDefault(l => !string.IsNullOrWhiteSpace(l))?.Trim() ?? "no output";
            throw new HostProbeException($"probing {executor.Where} failed (exit code {result.ExitCode}): {last}");
        }

        var facts = HostFacts.Parse(result.StandardOutput);
        executor.Elevation = facts.Elevation;
        return facts;
    }
}
