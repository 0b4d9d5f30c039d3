using System.Diagnostics;
using System.Text.Json;
using ServingBuild.BazelBuild;
using ServingBuild.Files;

namespace ServingBuild.Tasks;

/// <summary>
/// artifacts/summary.json for CI: every task run merges its entry (status, start, duration, exit code, outputs,
/// log) into the file under a lock, so the five processes of one ./build.sh run, or tasks run side by side,
/// never lose each other's entries. Writing the summary never changes a task's result.
/// </summary>
public static class RunSummary
{
    public const string FileName = "summary.json";

    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(30);

    public static string PathFor(ToolkitPaths paths) => Path.Combine(paths.Artifacts, FileName);

    /// <summary>Runs the task and records how it ended; the task's exit code or exception passes through unchanged.</summary>
    public static async Task<int> RecordAsync(StageContext context, string task, Func<Task<int>> run)
    {
        var start = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        int code;
        try
        {
            code = await run().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Record(context, task, start, clock.Elapsed, ExitCodes.Interrupted, "interrupted");
            throw;
        }
        catch (ToolkitException ex)
        {
            Record(context, task, start, clock.Elapsed, ex.ExitCode, ex.Message);
            throw;
        }
        catch (Exception ex)
        {
            Record(context, task, start, clock.Elapsed, ExitCodes.StageFailed, ex.GetType().Name + ": " + ex.Message);
            throw;
        }

        Record(context, task, start, clock.Elapsed, code, null);
        return code;
    }

    /// <summary>Merges one entry into the summary; a failure to write is a warning, never the task's failure.</summary>
    public static void Record(StageContext context, string task, DateTimeOffset start, TimeSpan duration, int exitCode, string? error)
    {
        var entry = new RunSummaryEntry
        {
            Task = task,
            Status = exitCode == ExitCodes.Ok ? "succeeded" : exitCode == ExitCodes.Interrupted ? "interrupted" : "failed",
            Start = start,
            DurationSeconds = Math.Round(duration.TotalSeconds, 3),
            ExitCode = exitCode,
            Error = error is null ? null : context.Log.Redact(error),
            Outputs = Outputs(task, context, start, succeeded: exitCode == ExitCodes.Ok),
            Log = context.Log.LogPath is { } log ? Relative(context.Paths, log) : null,
        };
        try
        {
            Merge(context.Paths, entry);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ToolkitException or JsonException or TimeoutException)
        {
            context.Log.Warn($"could not record this run in {PathFor(context.Paths)}: {ex.Message}");
        }
    }

    /// <summary>Replaces this task's entry (or adds it), keeping the others, under an exclusive lock.</summary>
    public static void Merge(ToolkitPaths paths, RunSummaryEntry entry)
    {
        var file = PathFor(paths);
        AtomicFile.EnsureFolder(paths.Artifacts);
        using var held = Lock(file + ".lock");
        var current = Read(file);
        var order = StageCatalog.Stages.Select(s => s.Name).ToList();
        var tasks = current.Tasks.Where(t => !string.Equals(t.Task, entry.Task, StringComparison.OrdinalIgnoreCase))
            .Append(entry)
            .OrderBy(t => order.IndexOf(t.Task) is var i && i < 0 ? int.MaxValue : i)
            .ToArray();
        var document = current with { Schema = RunSummaryDocument.CurrentSchema, Updated = DateTimeOffset.UtcNow, Tasks = tasks };
        AtomicFile.WriteAllText(file, JsonSerializer.Serialize(document, RunSummaryJson.Default.RunSummaryDocument) + "\n");
    }

    /// <summary>The summary as it is; an empty one when missing or unreadable (a damaged summary is rewritten, not fatal).</summary>
    public static RunSummaryDocument Read(string file)
    {
        if (!File.Exists(file))
        {
            return new RunSummaryDocument();
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(file), RunSummaryJson.Default.RunSummaryDocument) ?? new RunSummaryDocument();
        }
        catch (JsonException)
        {
            return new RunSummaryDocument();
        }
    }

    /// <summary>
    /// What each task produces. After a successful run: those of them that exist (an up-to-date run confirms
    /// them); after a failed one or a dry run: only those written during the run.
    /// </summary>
    public static IReadOnlyList<string> Outputs(string task, StageContext context, DateTimeOffset start, bool succeeded)
    {
        var paths = context.Paths;
        var options = context.Options;
        var candidates = task.ToLowerInvariant() switch
        {
            "bazelbuild" => [ServerExport.ExportedPath(paths), ServerManifest.PathFor(ServerExport.ExportedPath(paths)), Path.Combine(paths.Logs, BazelBuildStage.LogFileName)],
            "protos" => [options.ProtosOut, Path.Combine(paths.Artifacts, "protos-drift.md")],
            "stubs" => Directory.Exists(paths.Packages) ? Directory.EnumerateFiles(paths.Packages, "*.nupkg").Order(StringComparer.Ordinal).ToArray() : [],
            "verify" => [Path.Combine(paths.Artifacts, "verify-report.json"), Verify.VerifyJUnitReport.PathFor(paths)],
            "provision" => options.EmitScript is { } script ? [script] : [],
            "test" => [Path.Combine(paths.Artifacts, "test-results")],
            _ => Array.Empty<string>(),
        };
        var onlyNew = !succeeded || options.DryRun;
        return candidates
            .Where(p => File.Exists(p) || Directory.Exists(p))
            .Where(p => !onlyNew || new DateTimeOffset(Directory.Exists(p) ? Directory.GetLastWriteTimeUtc(p) : File.GetLastWriteTimeUtc(p), TimeSpan.Zero) >= start.AddSeconds(-1))
            .Select(p => Relative(paths, p))
            .ToArray();
    }

    private static string Relative(ToolkitPaths paths, string path)
    {
        var rel = Path.GetRelativePath(paths.Root, path);
        return rel.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(rel) ? path : rel;
    }

    private static FileStream Lock(string lockFile)
    {
        // FileShare.None is an exclusive flock(2) on Linux: other toolkit processes wait here.
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (clock.Elapsed < LockWait)
            {
                Thread.Sleep(50);
            }
            catch (IOException ex)
            {
                throw new TimeoutException($"{lockFile} stayed locked for {LockWait.TotalSeconds:0}s ({ex.Message})");
            }
        }
    }
}
