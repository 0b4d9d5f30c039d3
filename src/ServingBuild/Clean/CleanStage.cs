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
                context.Log.Info($"bazel clean in {bundled}");
            }
            catch (ProgramNotFoundException)
            {
                context.Log.Warn("bazel is not installed; the bundled workspace's bazel-* links were left");
            }
        }

        foreach (var entry in Directory.Exists(context.Paths.Artifacts) ? Directory.EnumerateFileSystemEntries(context.Paths.Artifacts) : [])
        {
            // The toolkit's own build (artifacts/dotnet) is running this task; build.sh rebuilds it when missing.
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }

        context.Log.Info($"removed {context.Paths.Artifacts}");
        return ExitCodes.Ok;
    }
}
