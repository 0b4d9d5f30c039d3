using ServingBuild;
using ServingBuild.Options;
using ServingBuild.Processes;
using ServingBuild.Tasks;

// servingbuild <Task> [--option=value ...]   runs one task (the Cake tasks call this)
// servingbuild check [--option=value ...]    validates the options and exits
// servingbuild tasks                          lists the tasks with their descriptions
// servingbuild options                        lists the options
return await Entry.RunAsync(args);

internal static class Entry
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("error: no task given; usage: servingbuild <Task|check|tasks|options> [--option=value ...]");
            return ExitCodes.Usage;
        }

        var verb = args[0];
        var rest = args.Skip(1).ToArray();
        using var cts = new CancellationTokenSource();
        var interrupted = false;
        Console.CancelKeyPress += (_, e) =>
        {
            // First Ctrl-C: stop gracefully (servers are stopped, temp folders removed); a second one kills.
            if (!interrupted)
            {
                interrupted = true;
                e.Cancel = true;
                cts.Cancel();
            }
        };

        try
        {
            switch (verb)
            {
                case "tasks":
                    foreach (var s in StageCatalog.Stages)
                    {
                        Console.WriteLine($"{s.Name,-12} {s.Description}");
                    }

                    return ExitCodes.Ok;
                case "options":
                    foreach (var o in OptionsParser.Specs)
                    {
                        Console.WriteLine($"{o.Usage,-32} {o.Help}");
                    }

                    return ExitCodes.Ok;
            }

            var paths = ToolkitPaths.Discover();
            var options = OptionsParser.Parse(rest, paths);
            if (verb == "check")
            {
                return ExitCodes.Ok;
            }

            var entry = StageCatalog.Find(verb)
                ?? throw new OptionsException($"unknown task '{verb}'; valid tasks: {string.Join(", ", StageCatalog.Stages.Select(s => s.Name))}, Default");
            using var log = TaskLog.ForTask(paths, entry.Name, options.Verbose);
            var context = new StageContext(options, paths, log);
            try
            {
                return await RunSummary.RecordAsync(context, entry.Name, () => entry.Create().RunAsync(context, cts.Token));
            }
            catch (ToolkitException ex)
            {
                log.Detail("error: " + ex.Message);
                throw;
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Console.Error.WriteLine("error: interrupted; everything this task started was stopped");
            return ExitCodes.Interrupted;
        }
        catch (ToolkitException ex)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            return ex.ExitCode;
        }
    }
}
