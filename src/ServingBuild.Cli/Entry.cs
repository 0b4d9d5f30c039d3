using System.Runtime.InteropServices;
using ServingBuild.Options;
using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.Cli;

/// <summary>The verbs of the entry point, each ending in an exit code and, on failure, exactly one line.</summary>
internal static class Entry
{
    public static string CurrentTask { get; private set; } = "Cli";

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            return Fail(ExitCodes.Usage, "no task given; usage: ServingBuild.Cli.dll <Task|prepare|tasks|options> [--option=value ...]");
        }

        using var stop = new SignalStop();
        try
        {
            return args[0] switch
            {
                "tasks" => List(StageCatalog.Tasks.Select(t => $"{t.Name,-12} {t.Description}")),
                "options" => List(OptionsParser.Specs.Select(o => $"{o.Usage,-32} {o.Help}")),
                "prepare" => Prepare(args.Skip(1).ToArray()),
                _ => await RunTaskAsync(args[0], args.Skip(1).ToArray(), stop),
            };
        }
        catch (Exception) when (stop.Signal is { } signal)
        {
            // Whatever a stage threw while it was being stopped, the run ends as the signal says.
            return Fail(ExitCodes.ForSignal(signal), $"stopped by {signal}; everything {CurrentTask} started was stopped");
        }
        catch (ToolkitException ex)
        {
            return Fail(ex.ExitCode, ex.Message);
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine(InternalErrorLine(ex, CurrentTask));
            return ExitCodes.InternalError;
        }
    }

    public static string InternalErrorLine(Exception? ex, string task) =>
        $"error: internal error: {ex?.GetType().FullName ?? "unknown"}: {OneLine(ex?.Message ?? "")}; please report it with artifacts/logs/{task}.log";

    /// <summary>
    /// prepare &lt;run folder&gt; [arguments]: the one parse of ./build.sh's command line. Prints nothing on success;
    /// writes the run file and Cake's arguments into the folder for build.sh. --help prints the usage and writes
    /// nothing, so build.sh runs no Cake.
    /// </summary>
    private static int Prepare(string[] args)
    {
        if (args.Length == 0)
        {
            return Fail(ExitCodes.Usage, "prepare needs the run folder: ServingBuild.Cli.dll prepare <folder> [arguments]");
        }

        var paths = ToolkitPaths.Discover();
        RunFile.RemoveStale(paths.Runs);
        ChildPidFile.ReapOrphans(paths.ChildPids);
        var arguments = EntryArguments.Parse(args[1..], paths);
        if (arguments.Help)
        {
            Console.Write(EntryArguments.Usage());
            return ExitCodes.Ok;
        }

        RunFile.For(arguments).WriteTo(Path.GetFullPath(args[0]), arguments.CakeArguments);
        return ExitCodes.Ok;
    }

    private static async Task<int> RunTaskAsync(string verb, string[] rest, SignalStop stop)
    {
        var entry = StageCatalog.Find(verb);
        if (entry is null || !entry.Runs)
        {
            var runnable = string.Join(", ", StageCatalog.Stages.Select(s => s.Name));
            return Fail(ExitCodes.Usage, entry is null
                ? $"unknown task '{verb}'; valid tasks: {runnable}"
                : $"{entry.Name} only groups other tasks; run it through ./build.sh --target={entry.Name}, or one of {runnable}");
        }

        CurrentTask = entry.Name;
        var paths = ToolkitPaths.Discover();
        foreach (var orphan in ChildPidFile.ReapOrphans(paths.ChildPids))
        {
            Console.Error.WriteLine($"warning: killed {orphan.Binary} (pid {orphan.Pid}), left running by a task that was killed");
        }

        var options = rest is [var only] && only.StartsWith("--run=", StringComparison.Ordinal)
            ? RunFile.Read(only["--run=".Length..]).Options
            : OptionsParser.Parse(rest, paths);
        using var log = TaskLog.ForTask(paths, entry.Name, options.Verbose);
        var context = new StageContext(options, paths, log);
        try
        {
            var code = await RunSummary.RecordAsync(context, entry.Name, () => entry.Create!().RunAsync(context, stop.Token));
            return stop.Signal is { } signal
                ? Fail(ExitCodes.ForSignal(signal), $"stopped by {signal}; everything {entry.Name} started was stopped")
                : code;
        }
        catch (ToolkitException ex)
        {
            log.Detail("error: " + ex.Message);
            throw;
        }
        catch (Exception ex) when (stop.Signal is null)
        {
            log.Detail(ex.ToString());
            throw;
        }
    }

    private static int List(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }

        return ExitCodes.Ok;
    }

    private static int Fail(int code, string message)
    {
        Console.Error.WriteLine("error: " + OneLine(message));
        return code;
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
