// How the script reaches the toolkit. build.sh / build.ps1 first run `ServingBuild.Cli.dll prepare`, which reads
// the command line once, validates it, and writes the run file (artifacts/run/<id>/run.json, mode 0600): the
// validated options and the task registry. This script gets only Cake's own arguments (--target and the like),
// builds the task graph from the registry, and starts `ServingBuild.Cli.dll <Task> --run=<run file>` per task
// with an argument array: nothing a user typed is parsed, quoted or re-joined here.

using System.Runtime.InteropServices;
using System.Text.Json;

public sealed record ToolkitTask(string Name, string Description, string[] DependsOn, bool Runs);

public static class Posix
{
    [DllImport("libc", SetLastError = true)]
    public static extern int kill(int pid, int sig);
}

public sealed class Toolkit
{
    private readonly string _cli;
    private readonly object _gate = new();
    private System.Diagnostics.Process _running;
    private PosixSignal? _signal;
    private readonly List<PosixSignalRegistration> _registrations = new();

    public Toolkit()
    {
        _cli = Need("SERVINGBUILD_CLI");
        RunFile = Need("SERVINGBUILD_RUN");
        using var json = JsonDocument.Parse(System.IO.File.ReadAllBytes(RunFile));
        Tasks = json.RootElement.GetProperty("tasks").EnumerateArray()
            .Select(t => new ToolkitTask(
                t.GetProperty("name").GetString(),
                t.GetProperty("description").GetString(),
                t.GetProperty("dependsOn").EnumerateArray().Select(d => d.GetString()).ToArray(),
                t.GetProperty("runs").GetBoolean()))
            .ToList();

        // SIGINT, SIGTERM, SIGHUP to Cake: pass the signal to the running task process, which stops everything it
        // started, and let the run end with that task's exit code (130, 143, 129) instead of dying at once.
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, Forward));
        }
    }

    public string RunFile { get; }

    public IReadOnlyList<ToolkitTask> Tasks { get; }

    /// <summary>The exit code of the task that failed, for the script's own exit code.</summary>
    public int? FailedExitCode { get; private set; }

    public string FailureMessage { get; private set; } = "";

    public void Run(string task)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { UseShellExecute = false };
        foreach (var argument in new[] { "exec", _cli, task, "--run=" + RunFile })
        {
            start.ArgumentList.Add(argument);
        }

        int code;
        lock (_gate)
        {
            if (_signal is { } already)
            {
                Stop(task, SignalExitCode(already));
            }

            _running = System.Diagnostics.Process.Start(start);
        }

        _running.WaitForExit();
        lock (_gate)
        {
            code = _running.ExitCode;
            _running.Dispose();
            _running = null;
        }

        if (code != 0)
        {
            Stop(task, code);
        }
    }

    /// <summary>Removes this run's folder (the run file holds the options; a later run would remove it too).</summary>
    public void Forget()
    {
        try
        {
            System.IO.Directory.Delete(System.IO.Path.GetDirectoryName(RunFile), recursive: true);
        }
        catch (System.IO.IOException)
        {
        }
    }

    private void Stop(string task, int code)
    {
        FailedExitCode = code;
        FailureMessage = code > 128
            ? $"{task} was stopped by signal {code - 128} (exit code {code}); the processes it started were stopped with it"
            : $"{task} failed (exit code {code}); the line above the summary says why, the full log is artifacts/logs/{task}.log";
        throw new CakeException(code, FailureMessage);
    }

    private void Forward(PosixSignalContext context)
    {
        context.Cancel = true;
        lock (_gate)
        {
            _signal ??= context.Signal;
            if (_running is { } child)
            {
                // A terminal's Ctrl-C reaches the task too; it takes repeats of a signal as one.
                Posix.kill(child.Id, SignalNumber(context.Signal));
            }
        }
    }

    private static int SignalNumber(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGHUP => 1,
        _ => 15,
    };

    private static int SignalExitCode(PosixSignal signal) => 128 + SignalNumber(signal);

    private static string Need(string variable) =>
        System.Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new CakeException(2, $"{variable} is not set: run the build through ./build.sh or ./build.ps1");
}
