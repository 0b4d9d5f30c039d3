namespace ServingBuild.BazelBuild;

/// <summary>The checkout pins its Bazel version in a form that cannot be read.</summary>
public sealed class BazelVersionFileException(string message) : ToolkitException(message, ExitCodes.Usage);
