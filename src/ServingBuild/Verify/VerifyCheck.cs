namespace ServingBuild.Verify;

/// <summary>One check against the server: its name, whether it passed, and what was seen.</summary>
public sealed record VerifyCheck(string Name, bool Passed, string Detail);
