namespace ServingBuild.Provision;

/// <summary>A plan step's action failed, or ran and left its check still failing.</summary>
public sealed class StepFailedException(string message)
    : ToolkitException(message, ExitCodes.StageFailed);
