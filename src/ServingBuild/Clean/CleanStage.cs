using ServingBuild.Files;
using ServingBuild.BazelBuild;
using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.Clean;

/// <summary>
/// Removes what the toolkit produced: artifacts/ and, for the bundled workspace only, Bazel's outputs.
/// A user's serving checkout is never touched; protos/ is output the user keeps and is left alone.
/// </summary>
public sealed class CleanStage : IStage
{
    /// <summary>What the toolkit (build.sh, the tasks, the .NET build) writes directly under artifacts/.</summary>
    public static readonly IReadOnlySet<string> OwnEntries = new HashSet<string>(StringComparer.Ordinal)
    {
        ".stamps", "bin", "cake-cache", "dotnet", "logs", "packages", "stubs", "test-results", "verify",
        "protos-drift.md", "summary.json", "verify-report.json",
    };

    /// <summary>The lines Clean prints (also the host script's words).</summary>
    public static string CleanedBundled(string bundled) => $"bazel clean in {bundled}";

    public const string BazelMissingLinksLeft = "bazel is not installed; the bundled workspace's bazel-* links were left";

    /// <summary>The closing line; <paramref name="left"/> lists what was not the toolkit's, comma-separated, or is empty.</summary>
    public static string Removed(string artifacts, string left) =>
        $"removed the toolkit's outputs from {artifacts}" + (left.Length > 0 ? $"; left {left} (not the toolkit's)" : "");

    public async Task<int> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var bundled = context.Paths.BundledServingDir;
        if (File.Exists(Path.Combine(bundled, "WORKSPACE")) && Directory.Exists(Path.Combine(bundled, "bazel-out")))
        {
            try
            {
                var bazel = BazelLocator.Locate(context.Options.Bazel, BazelLocator.ProcessEnvironment(), WantedBazelVersion.Read(bundled)?.Version, context.Options.CacheDir).Path;
                await context.Runner.RunCheckedAsync(
                    new ProcessSpec(bazel, "clean") { WorkingDirectory = bundled, Timeout = TimeSpan.FromMinutes(5) },
                    "cleaning the bundled workspace",
                    cancellationToken: cancellationToken);
                context.Log.Info(CleanedBundled(bundled));
            }
            catch (ProgramNotFoundException)
            {
                context.Log.Warn(BazelMissingLinksLeft);
            }
        }

        var left = new List<string>();
        foreach (var entry in Directory.Exists(context.Paths.Artifacts) ? Directory.EnumerateFileSystemEntries(context.Paths.Artifacts).Order(StringComparer.Ordinal).ToList() : [])
        {
            // Only what the toolkit writes there; anything else in artifacts/ is someone's and stays.
            var name = Path.GetFileName(entry);
            if (!OwnEntries.Contains(name) && !name.StartsWith(AtomicFile.TemporaryPrefix, StringComparison.Ordinal))
            {
                left.Add(name);
                continue;
            }

            try
            {
                // A link is removed as a link, never followed; the toolkit's own build (artifacts/dotnet) is
                // running this task, and build.sh rebuilds it when missing.
                if (AtomicFile.Describe(entry) == "a folder")
                {
                    Directory.Delete(entry, recursive: true);
                }
                else
                {
                    File.Delete(entry);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ToolkitException($"cannot remove {entry}: {AtomicFile.OneLine(ex.Message)}; remove it by hand", ExitCodes.StageFailed, ex);
            }
        }

        context.Log.Info(Removed(context.Paths.Artifacts, string.Join(", ", left)));
        return ExitCodes.Ok;
    }
}
