using ServingBuild.Running;

namespace ServingBuild.Protos;

// PLACEHOLDER: replaced by the stage's implementation.
public sealed class ProtosStage : IStage
{
    public Task<int> RunAsync(StageContext context, CancellationToken cancellationToken) =>
        throw new ToolkitException("ProtosStage is not built yet");
}
