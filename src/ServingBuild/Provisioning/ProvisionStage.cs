using ServingBuild.Running;

namespace ServingBuild.Provisioning;

// PLACEHOLDER: replaced by the stage's implementation (the plan, the executors).
public sealed class ProvisionStage : IStage
{
    public Task<int> RunAsync(StageContext context, CancellationToken cancellationToken) =>
        throw new ToolkitException("ProvisionStage is not built yet");

    /// <summary>The Test task's prerequisites on Debian/Ubuntu: the Provision stage's Debian plan, tests profile.</summary>
    public static async Task EnsureTestPrerequisitesAsync(StageContext context, CancellationToken cancellationToken)
    {
        string[] packages = ["bazel-bootstrap", "bazel-rules-java", "libgrpc++-dev", "libprotobuf-dev", "protobuf-compiler", "protobuf-compiler-grpc", "pkg-config", "openssh-server", "openssh-client", "nginx-extras", "python3-grpcio", "python3-grpc-tools", "bzip2", "g++"];
        if (!File.Exists("/usr/bin/apt-get"))
        {
            return;
        }

        var missing = new List<string>();
        foreach (var p in packages)
        {
            var r = await context.Runner.RunAsync(new ProcessSpec("dpkg-query", "-W", "-f=${Status}", p), cancellationToken: cancellationToken);
            if (!r.StandardOutput.Contains("install ok installed", StringComparison.Ordinal))
            {
                missing.Add(p);
            }
        }

        if (missing.Count == 0)
        {
            return;
        }

        context.Log.Info("installing test prerequisites: " + string.Join(' ', missing));
        await context.Runner.RunCheckedAsync(new ProcessSpec("apt-get", "update") { Timeout = TimeSpan.FromMinutes(10) }, "apt-get update", cancellationToken: cancellationToken);
        await context.Runner.RunCheckedAsync(
            new ProcessSpec("apt-get", ["install", "-y", "--no-install-recommends", .. missing])
            {
                Timeout = TimeSpan.FromMinutes(20),
                Environment = new Dictionary<string, string?> { ["DEBIAN_FRONTEND"] = "noninteractive" },
            },
            "installing the test prerequisites",
            cancellationToken: cancellationToken);
    }
}
