namespace ServingBuild.BazelBuild;

/// <summary>The two shapes a Bazel release ships for Linux.</summary>
public enum BazelAssetKind
{
    /// <summary>bazel-&lt;v&gt;-linux-x86_64: the plain binary, installed by copying it.</summary>
    Binary,

    /// <summary>bazel-&lt;v&gt;-installer-linux-x86_64.sh: a self-extracting installer, run with --prefix.</summary>
    Installer,
}
