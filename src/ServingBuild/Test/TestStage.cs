using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.Test;

/// <summary>
/// Installs what the tests need (Debian/Ubuntu, through the Provision stage's plan), then builds and runs
/// every test project under tests/ one after the other (they share Bazel and the bundled workspace), and
/// ends with the line "N passed, N failed".
/// </summary>
public sealed class TestStage : IStage
{
    public async Task<int> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        await TestPrerequisites.EnsureAsync(context, cancellationToken);

        var results = Path.Combine(context.Paths.Artifacts, "test-results");
        if (Directory.Exists(results))
        {
            Directory.Delete(results, recursive: true);
        }

        var projects = Directory.EnumerateFiles(
                Path.Combine(context.Paths.Root, "tests"),
                "*.Tests.csproj",
                // Not into tests/serving-mini's bazel-* links, which lead into Bazel's output base.
                new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint })
            .Order(StringComparer.Ordinal)
            .ToList();
        if (projects.Count == 0)
        {
            throw new ToolkitException("no test projects (*.Tests.csproj) under tests/");
        }

        var total = new TestRunSummary(0, 0, 0);
        foreach (var project in projects)
        {
            var name = Path.GetFileNameWithoutExtension(project);
            var dir = Path.Combine(results, name);
            context.Log.Info($"── {name}");
            var run = await context.Runner.RunAsync(
                new ProcessSpec("dotnet", "test", project, "--nologo", "--logger", "trx;LogFileName=results.trx", "--results-directory", dir)
                {
                    WorkingDirectory = context.Paths.Root,
                    Timeout = TimeSpan.FromMinutes(60),
                    CaptureOutput = false,
                },
                line => context.Log.Info("   " + line),
                cancellationToken);

            var trx = Path.Combine(dir, "results.trx");
            var summary = File.Exists(trx)
                ? TestRunSummary.FromTrx(trx)
                : new TestRunSummary(0, 1, 0); // it did not build or the host crashed: that is a failure
            if (!File.Exists(trx))
            {
                context.Log.Info($"   {name}: no results (exit code {run.ExitCode}); counted as one failure");
            }
            else if (run.ExitCode != 0 && summary.Failed == 0)
            {
                summary = summary with { Failed = 1 };
                context.Log.Info($"   {name}: dotnet test exited {run.ExitCode} with no failed test; counted as one failure");
            }

            context.Log.Info($"   {name}: {summary}");
            total += summary;
        }

        // CI repeats this file's line last, after Cake's task summary.
        Files.AtomicFile.WriteAllText(Path.Combine(results, "summary.txt"), total + "\n");
        context.Log.Info(total.ToString());
        return total.Failed == 0 && total.Passed > 0 ? ExitCodes.Ok : ExitCodes.StageFailed;
    }
}
