using ServingBuild;
using ServingBuild.Cli;

// servingbuild prepare <run folder> [build.sh arguments...]   reads ./build.sh's command line once (build.sh runs this)
// servingbuild <Task> --run=<run file>                        runs one task with the prepared options (the Cake tasks call this)
// servingbuild <Task> [--option=value ...]                    runs one task, parsing the options itself
// servingbuild tasks | options                                lists the tasks or the options
// Every failure ends in one `error:` line and a documented exit code (ExitCodes, README); never a stack trace.
AppDomain.CurrentDomain.UnhandledException += (_, e) =>
{
    // An exception on a thread of our own would otherwise end the process with a stack trace and exit 134.
    Console.Error.WriteLine(Entry.InternalErrorLine(e.ExceptionObject as Exception, Entry.CurrentTask));
    Environment.Exit(ExitCodes.InternalError);
};

return await Entry.RunAsync(args);
