namespace ServingBuild.BazelBuild;

/// <summary>The Bazel found is not the one the checkout pins.</summary>
public sealed class BazelVersionMismatchException(string found, WantedBazelVersion wanted, string bazelPath)
    : ToolkitException(
        $"Bazel {found} ({bazelPath}) is not the version this checkout wants, {wanted.Version} ({wanted.Source}); " +
        $"rerun with --install-bazel to fetch {wanted.Version} into the tools cache, pass --bazel=PATH to a Bazel {wanted.Version}, " +
        "or --allow-bazel-mismatch to try anyway",
        ExitCodes.Prerequisite)
{
    public string Found { get; } = found;
}
