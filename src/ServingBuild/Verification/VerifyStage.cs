using ServingBuild.Running;

namespace ServingBuild.Verification;

// PLACEHOLDER: replaced by the stage's implementation.
public sealed class VerifyStage : IStage
{
    public Task<int> RunAsync(StageContext context, CancellationToken cancellationToken) =>
        throw new ToolkitException("VerifyStage is not built yet");
}
