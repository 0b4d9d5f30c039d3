using ServingBuild.Options;
using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.Host;

/// <summary>The executor the options ask for: ssh to --build-host, or this machine.</summary>
public static class HostExecutors
{
    public static IHostExecutor For(BuildOptions options, ProcessRunner runner) =>
        options.BuildHost is { } host ? new SshExecutor(runner, host) : new LocalExecutor(runner);
}
