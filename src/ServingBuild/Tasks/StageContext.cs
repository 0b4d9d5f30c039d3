using ServingBuild.Options;

using ServingBuild.Processes;

namespace ServingBuild.Tasks;

/// <summary>What every stage gets: the parsed options, the toolkit's paths, its log and the process runner.</summary>
public sealed class StageContext(BuildOptions options, ToolkitPaths paths, TaskLog log)
{
    public BuildOptions Options { get; } = options;
    public ToolkitPaths Paths { get; } = paths;
    public TaskLog Log { get; } = log;
    public ProcessRunner Runner { get; } = new(log);
}
