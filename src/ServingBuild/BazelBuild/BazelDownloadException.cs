namespace ServingBuild.BazelBuild;

/// <summary>Installing a Bazel release failed: not downloadable, or its checksum does not match.</summary>
public sealed class BazelDownloadException(string message) : ToolkitException(message, ExitCodes.Prerequisite);
