namespace ServingBuild.BazelBuild;

/// <summary>A signature found in a failed build's log, with the line that gave it away.</summary>
public sealed record Diagnosis(FailureSignature Signature, string Evidence);
