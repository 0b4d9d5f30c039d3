namespace ServingBuild.Verify;

/// <summary>The model server binary is not in the serving tree's bazel-bin; the fix is the BazelBuild stage.</summary>
public sealed class ModelServerNotBuiltException(string message) : ToolkitException(message);
