namespace ServingBuild.Tasks;

/// <summary>
/// Where the toolkit's own files are: the repository root (the folder holding build.sh and global.json),
/// artifacts/ beneath it, the bundled miniature serving workspace and the default protos/ output.
/// </summary>
public sealed record ToolkitPaths(string Root)
{
    public string Artifacts => Path.Combine(Root, "artifacts");
    public string Logs => Path.Combine(Artifacts, "logs");
    public string Packages => Path.Combine(Artifacts, "packages");

    /// <summary>One folder per ./build.sh run (artifacts/run/&lt;pid&gt;), holding its run file.</summary>
    public string Runs => Path.Combine(Artifacts, "run");

    /// <summary>Pidfiles of the long-running children (model server, verifier) a later run reaps after a kill -9.</summary>
    public string ChildPids => Path.Combine(Runs, "children");
    public string BundledServingDir => Path.Combine(Root, "tests", "serving-mini");
    public string DefaultProtosOut => Path.Combine(Root, "protos");
    public string ClientProject => Path.Combine(Root, "src", "TensorFlowServing.Client", "TensorFlowServing.Client.csproj");

    /// <summary>Finds the repository root from the given folder (or the current one) upwards.</summary>
    public static ToolkitPaths Discover(string? start = null)
    {
        var env = Environment.GetEnvironmentVariable("SERVINGBUILD_ROOT");
        if (!string.IsNullOrEmpty(env) && IsRoot(env))
        {
            return new ToolkitPaths(Path.GetFullPath(env));
        }

        foreach (var candidate in new[] { start, Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = candidate is null ? null : new DirectoryInfo(Path.GetFullPath(candidate)); dir is not null; dir = dir.Parent)
            {
                if (IsRoot(dir.FullName))
                {
                    return new ToolkitPaths(dir.FullName);
                }
            }
        }

        throw new ToolkitException(
            "cannot find the toolkit's root (a folder holding build.sh and global.json); run from inside the repository or set SERVINGBUILD_ROOT",
            ExitCodes.Usage);
    }

    private static bool IsRoot(string dir) =>
        File.Exists(Path.Combine(dir, "build.sh")) && File.Exists(Path.Combine(dir, "global.json"));
}
