namespace ServingBuild.Provision;

/// <summary>
/// The Debian and Ubuntu host plan (apt and dpkg). The tests profile is what `./build.sh --target=Test` installs;
/// the build profile adds upstream's Dockerfile.devel list, the stropts.h shim and the wanted Bazel release.
/// </summary>
public static class DebianPlan
{
    /// <summary>What this project's tests and the bundled miniature workspace need (the Test task installs these).</summary>
    public static readonly IReadOnlyList<string> TestPackages =
    [
        "bazel-bootstrap", "bazel-rules-java", "libgrpc++-dev", "libprotobuf-dev", "protobuf-compiler", "protobuf-compiler-grpc",
        "pkg-config", "openssh-server", "openssh-client", "nginx-extras", "python3-grpcio", "python3-grpc-tools", "bzip2", "g++",
        // The tests also run shellcheck over the emitted scripts and git over fixture checkouts.
        "shellcheck", "git",
    ];

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
        if (inputs.Profile == PlanProfile.Build)
        {
            steps.Add(Apt("build-prerequisites", BuildPackages, "what upstream's Dockerfile.devel installs, under Debian's names"));
        }

        steps.Add(Apt("test-prerequisites", TestPackages, "this project's tests: Debian's Bazel, system gRPC and protobuf, sshd, nginx, Python gRPC"));
        if (inputs.Profile == PlanProfile.Build)
        {
            steps.Add(StroptsShim.Step);
            if (inputs.WantedBazel is { } bazel)
            {
                steps.Add(BazelInstallStep.For(bazel, inputs.Architecture));
            }
        }

        return new ProvisionPlan($"{osName}, {inputs.Profile.ToString().ToLowerInvariant()} profile", steps)
        {
            OsId = "debian",
            OsVersionPrefix = "",
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
