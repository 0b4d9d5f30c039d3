namespace ServingBuild.Tasks;

/// <summary>One task of the pipeline. Throws a <see cref="ToolkitException"/> with a one-line fix on failure.</summary>
public interface IStage
{
    /// <summary>Returns the exit code (0, or a documented non-zero code such as Doctor's findings).</summary>
    Task<int> RunAsync(StageContext context, CancellationToken cancellationToken);
}
