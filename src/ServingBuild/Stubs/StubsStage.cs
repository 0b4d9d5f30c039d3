using ServingBuild.Running;

namespace ServingBuild.Stubs;

// PLACEHOLDER: replaced by the stage's implementation.
public sealed class StubsStage : IStage
{
    public Task<int> RunAsync(StageContext context, CancellationToken cancellationToken) =>
        throw new ToolkitException("StubsStage is not built yet");
}
