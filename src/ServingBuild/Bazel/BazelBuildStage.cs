using ServingBuild.Running;

namespace ServingBuild.Bazel;

// PLACEHOLDER: replaced by the stage's implementation.
public sealed class BazelBuildStage : IStage
{
    public Task<int> RunAsync(StageContext context, CancellationToken cancellationToken) =>
        throw new ToolkitException("BazelBuildStage is not built yet");
}
