namespace ServingBuild.BazelBuild;

/// <summary>Bazel failed; the message names the diagnosed cause and its fix, or points at the log.</summary>
public sealed class BazelBuildFailedException(string message, IReadOnlyList<Diagnosis> diagnoses)
    : ToolkitException(message, ExitCodes.StageFailed)
{
    public IReadOnlyList<Diagnosis> Diagnoses { get; } = diagnoses;
}
