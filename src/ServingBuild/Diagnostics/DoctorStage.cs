using ServingBuild.Running;

namespace ServingBuild.Diagnostics;

// PLACEHOLDER: replaced by the stage's implementation.
public sealed class DoctorStage : IStage
{
    public Task<int> RunAsync(StageContext context, CancellationToken cancellationToken) =>
        throw new ToolkitException("DoctorStage is not built yet");
}
