namespace ServingBuild.Provision;

/// <summary>What happened to one step: it was already satisfied (skipped), it ran, or (dry run, Doctor) it would run.</summary>
public sealed record StepOutcome(ProvisionStep Step, StepStatus Status);
