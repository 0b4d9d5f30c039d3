namespace ServingBuild.Provision;

/// <summary>
/// The Debian and Ubuntu host plan (apt and dpkg), one profile per need: the bundled workspace's build (Provision
/// and Default without --serving-dir), a real checkout's build (upstream's Dockerfile.devel list, the stropts.h
/// shim, the pinned Bazel), and this project's tests (the Test task: the bundled build plus the test tools, whose
/// services are neither started nor left enabled).
/// </summary>
public static class DebianPlan
{
    /// <summary>
    /// What the bundled miniature workspace needs to build offline: Debian's Bazel with the rules_java it must be
    /// pointed at (FACTS.md), the system gRPC and protobuf development packages, protoc and its gRPC plugin,
    /// pkg-config, bzip2 (tar needs it) and a C++ compiler.
    /// </summary>
    public static readonly IReadOnlyList<string> BundledPackages =
    [
        "bazel-bootstrap", "bazel-rules-java", "libgrpc++-dev", "libprotobuf-dev", "protobuf-compiler", "protobuf-compiler-grpc",
        "pkg-config", "bzip2", "g++",
    ];

    /// <summary>
    /// The test tools: sshd and nginx (the tests start their own instances on loopback), shellcheck over the emitted
    /// scripts, Python gRPC for the interop checks, git over fixture checkouts. PowerShell comes as a dotnet tool.
    /// </summary>
    public static readonly IReadOnlyList<string> TestToolPackages =
    [
        "openssh-server", "openssh-client", "nginx-extras", "python3-grpcio", "python3-grpc-tools", "shellcheck", "git",
        "iproute2", "binutils", "gcc",
    ];

    /// <summary>Everything the Test task installs with apt: the bundled build's packages and the test tools.</summary>
    public static readonly IReadOnlyList<string> TestPackages = [.. BundledPackages, .. TestToolPackages];

    /// <summary>The systemd units of the test tools' services, never left enabled by the toolkit's install.</summary>
    public static readonly IReadOnlyList<string> ServiceUnits = ["ssh.service", "ssh.socket", "sshd.service", "nginx.service"];

    /// <summary>
    /// Upstream's Dockerfile.devel list under names Debian 12 and Ubuntu 22.04 both have: libcurl3-dev became
    /// libcurl4-openssl-dev, libfreetype6-dev libfreetype-dev, python-dev python3-dev, openjdk-8 default-jdk-headless;
    /// mlocate and software-properties-common are left out (not needed to build).
    /// </summary>
    public static readonly IReadOnlyList<string> BuildPackages =
    [
        "automake", "build-essential", "ca-certificates", "curl", "default-jdk-headless", "git", "libcurl4-openssl-dev",
        "libfreetype-dev", "libpng-dev", "libtool", "libzmq3-dev", "patch", "python3-dev", "swig", "unzip", "wget", "zip",
        "zlib1g-dev",
    ];

    public static ProvisionPlan Create(PlanInputs inputs, string osName)
    {
        var steps = new List<ProvisionStep>();
        var notes = new List<string>();
        switch (inputs.Profile)
        {
            case PlanProfile.Build:
                steps.Add(Apt("build-prerequisites", BuildPackages, "what upstream's Dockerfile.devel installs, under Debian's names"));
                steps.Add(StroptsShim.Step);
                if (inputs.WantedBazel is { } bazel)
                {
                    steps.Add(BazelInstallStep.For(bazel, inputs.Architecture, inputs.BazelMirror));
                    notes.AddRange(BazelInstallStep.Notes(bazel, inputs.Architecture, jdk8Installed: false));
                }
                else
                {
                    notes.Add($"the checkout pins no Bazel version (none in {BazelBuild.WantedBazelVersion.Places}); install the Bazel it needs and pass --bazel=PATH");
                }

                break;
            case PlanProfile.Bundled:
                steps.Add(Apt("bundled-prerequisites", BundledPackages, "the bundled workspace's build: Debian's Bazel, system gRPC and protobuf, protoc, bzip2, a C++ compiler"));
                break;
            default:
                steps.Add(Apt("bundled-prerequisites", BundledPackages, "the bundled workspace's build: Debian's Bazel, system gRPC and protobuf, protoc, bzip2, a C++ compiler"));
                steps.Add(AptWithoutServices("test-prerequisites", TestToolPackages, "this project's tests: sshd, nginx, shellcheck, Python gRPC, git (the tests start their own sshd and nginx on loopback)"));
                break;
        }

        return new ProvisionPlan($"{osName}, {inputs.Profile.ToString().ToLowerInvariant()} profile", steps)
        {
            OsId = "debian",
            OsVersionPrefix = "",
            Notes = notes,
        };
    }

    /// <summary>
    /// apt-get install that starts no service and leaves none enabled: a policy-rc.d answering 101 ("action not
    /// allowed") during the install (one already there is left as it is), then every sshd or nginx unit the install
    /// enabled is disabled again. Units that were enabled before are the host owner's and stay as they were.
    /// </summary>
    internal static ProvisionStep AptWithoutServices(string id, IReadOnlyList<string> packages, string why)
    {
        var plain = Apt(id, packages, why);
        var list = string.Join(' ', packages);
        var units = string.Join(' ', ServiceUnits);
        return plain with
        {
            Description = $"apt-get install {list} (no service started or left enabled)",
            Action = $$"""
                policy="$SYSROOT/usr/sbin/policy-rc.d"
                if [ ! -e "$policy" ]; then
                  trap 'rm -f "$policy"' EXIT
                  printf '#!/bin/sh\n# ServingBuild: no service starts while the test tools are installed\nexit 101\n' > "$policy"
                  chmod 0755 "$policy"
                fi
                enabled_units() {
                  for unit in {{units}}; do
                    for link in "$SYSROOT"/etc/systemd/system/*.wants/"$unit"; do
                      if [ -L "$link" ] || [ -e "$link" ]; then echo "$link"; fi
                    done
                  done
                }
                before="$(enabled_units)"
                apt-get update
                DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends {{list}}
                for link in $(enabled_units); do
                  if ! printf '%s\n' "$before" | grep -qxF "$link"; then
                    unit="${link##*/}"
                    if [ -z "$SYSROOT" ] && command -v systemctl >/dev/null 2>&1; then
                      systemctl disable "$unit" >/dev/null 2>&1 || true
                    fi
                    rm -f "$link"
                    echo "left $unit disabled (the install enabled it; the tests start their own instance on loopback)"
                  fi
                done
                """,
        };
    }

    internal static ProvisionStep Apt(string id, IReadOnlyList<string> packages, string why)
    {
        var list = string.Join(' ', packages);
        return new ProvisionStep(
            id,
            "apt-get install " + list,
            // One dpkg-query for all (a loop of one per package took 2 s here): every one must say "install ok installed".
            $"test \"$(dpkg-query -W -f=\"\\${{Status}}\\n\" {list} 2>/dev/null | grep -c '^install ok installed$')\" = {packages.Count}",
            $"""
            apt-get update
            DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends {list}
            """,
            NeedsRoot: true)
        {
            Why = why,
            MissingQuery = $"for p in {list}; do [ \"$(dpkg-query -W -f=\"\\${{Status}}\" \"$p\" 2>/dev/null)\" = \"install ok installed\" ] || echo \"$p\"; done",
        };
    }
}
