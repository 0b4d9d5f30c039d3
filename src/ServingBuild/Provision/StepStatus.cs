namespace ServingBuild.Provision;

public enum StepStatus
{
    /// <summary>The check passed: nothing to do.</summary>
    Satisfied,

    /// <summary>The check failed and the action ran; the check passes now.</summary>
    Ran,

    /// <summary>The check failed and nothing ran (dry run, Doctor).</summary>
    Missing,
}
