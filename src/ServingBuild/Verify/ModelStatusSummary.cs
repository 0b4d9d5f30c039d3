namespace ServingBuild.Verify;

/// <summary>What ModelService.GetModelStatus said about the verified model: its name, the version and its state (AVAILABLE, LOADING, ...).</summary>
public sealed record ModelStatusSummary(string Name, long Version, string State);
