namespace ServingBuild.BazelBuild;

/// <summary>A Bazel binary the locator chose, and which rule chose it (--bazel, $BAZEL, the pinned install, PATH), for the log.</summary>
public sealed record BazelLocation(string Path, string HowFound);
