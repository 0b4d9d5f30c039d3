using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Text;
using CliWrap;

using ServingBuild.Tasks;

namespace ServingBuild.Processes;

/// <summary>
/// The one place the toolkit starts external programs (yum, rpm, apt, dpkg, bazel, protoc, ssh, the model
/// server): through CliWrap, with a timeout, every line streamed to the task log and optionally to a callback.
/// </summary>
public sealed class ProcessRunner(TaskLog log)
{
    private const int TailLines = 60;

    public TaskLog Log { get; } = log;

    /// <summary>Runs to completion. A non-zero exit is returned, not thrown: the caller knows what it means.</summary>
    public async Task<ProcessResult> RunAsync(ProcessSpec spec, Action<string>? onLine = null, CancellationToken cancellationToken = default)
    {
        var handle = Start(spec, onLine, cancellationToken);
        return await handle.Completion.ConfigureAwait(false);
    }

    /// <summary>Runs and throws a <see cref="ToolkitException"/> naming the command and its last lines when it fails.</summary>
    public async Task<ProcessResult> RunCheckedAsync(ProcessSpec spec, string whatFailed, Action<string>? onLine = null, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(spec, onLine, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            var last = result.Tail.LastOrDefault(l => !string.IsNullOrWhiteSpace(l))?.Trim() ?? "no output";
            var why = result.TimedOut ? $"timed out after {spec.Timeout}" : $"exit code {result.ExitCode}";
            throw new ToolkitException($"{whatFailed}: `{Log.Redact(spec.Display)}` failed ({why}): {last}");
        }

        return result;
    }

    /// <summary>Starts a process and returns at once; for servers that run while checks call them.</summary>
    public RunningProcess Start(ProcessSpec spec, Action<string>? onLine = null, CancellationToken cancellationToken = default)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var tail = new Queue<string>();
        var gate = new object();

        void Line(string line, StringBuilder? capture)
        {
            lock (gate)
            {
                capture?.AppendLine(line);
                tail.Enqueue(line);
                if (tail.Count > TailLines)
                {
                    tail.Dequeue();
                }
            }

            Log.Detail("  " + line);
            onLine?.Invoke(line);
        }

        // A child that must die with this process: the kernel sends it SIGKILL when its parent goes, even on kill -9.
        var launcher = spec.DieWithParent ? Setpriv.Value : null;
        var command = (launcher is null ? Cli.Wrap(spec.FileName).WithArguments(spec.Arguments)
                : Cli.Wrap(launcher).WithArguments(["--pdeathsig", "KILL", "--", spec.FileName, .. spec.Arguments]))
            .WithValidation(CommandResultValidation.None)
            .WithEnvironmentVariables(ChildEnvironment(spec))
            .WithStandardOutputPipe(PipeTarget.ToDelegate(l => Line(l, spec.CaptureOutput ? stdout : null)))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(l => Line(l, stderr)));
        if (spec.WorkingDirectory is not null)
        {
            command = command.WithWorkingDirectory(spec.WorkingDirectory);
        }

        if (spec.StandardInput is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(spec.StandardInput));
        }

        var graceful = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var forceful = new CancellationTokenSource();
        var timedOut = false;
        var stopRequested = new StrongBox<bool>(false);
        if (spec.Timeout is { } timeout)
        {
            graceful.CancelAfter(timeout);
        }

        // Graceful stop (SIGINT) first; the kill follows after the grace period.
        graceful.Token.Register(() =>
        {
            timedOut = !cancellationToken.IsCancellationRequested && !stopRequested.Value;
            forceful.CancelAfter(spec.GracePeriod);
        });

        Log.Detail("$ " + spec.Display + (spec.WorkingDirectory is null ? "" : $"   (in {spec.WorkingDirectory})"));
        CommandTask<CommandResult> task;
        try
        {
            task = spec.DieWithParent
                ? StartOnOwnThread(command, forceful.Token, graceful.Token)
                : command.ExecuteAsync(forceful.Token, graceful.Token);
        }
        catch (Exception ex) when (IsNotFound(ex))
        {
            graceful.Dispose();
            forceful.Dispose();
            throw new ProgramNotFoundException(spec.FileName, "install it (./build.sh --target=Provision) or put it on PATH");
        }

        var pidFile = spec.PidFolder is { } folder ? ChildPidFile.Write(folder, task.ProcessId, launcher) : null;

        async Task<ProcessResult> Finish()
        {
            try
            {
                var result = await task.ConfigureAwait(false);
                Log.Detail($"  exit {result.ExitCode} after {result.RunTime.TotalSeconds:0.0}s");
                lock (gate)
                {
                    return new ProcessResult(result.ExitCode, result.RunTime, stdout.ToString(), stderr.ToString(), tail.ToArray(), timedOut);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Log.Detail(timedOut ? "  stopped after the timeout" : "  stopped");
                lock (gate)
                {
                    return new ProcessResult(-1, spec.Timeout ?? TimeSpan.Zero, stdout.ToString(), stderr.ToString(), tail.ToArray(), timedOut);
                }
            }
            finally
            {
                graceful.Dispose();
                forceful.Dispose();
                if (spec.PidFolder is { } folder)
                {
                    pidFile?.Remove(folder);
                }
            }
        }

        return new RunningProcess(task.ProcessId, Finish(), graceful, forceful, spec.GracePeriod, stopRequested);
    }

    /// <summary>util-linux's setpriv, where the host has it (Debian, CentOS 7); without it only the pidfile guards.</summary>
    private static readonly Lazy<string?> Setpriv = new(() =>
        ProgramPath.Find("setpriv") is { } path ? new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path : null);

    /// <summary>
    /// Starts the command on a thread of its own that lives until the child exits: the kernel's parent-death
    /// signal follows the thread that forked the child, not the process, and a thread-pool thread may retire
    /// (and so kill the child) at any time.
    /// </summary>
    private static CommandTask<CommandResult> StartOnOwnThread(Command command, CancellationToken forceful, CancellationToken graceful)
    {
        CommandTask<CommandResult>? started = null;
        Exception? failure = null;
        using var ready = new ManualResetEventSlim();
        var thread = new Thread(() =>
        {
            try
            {
                started = command.ExecuteAsync(forceful, graceful);
            }
            catch (Exception ex)
            {
                failure = ex;
            }
            finally
            {
                ready.Set();
            }

            try
            {
                started?.Task.Wait();
            }
            catch (AggregateException)
            {
                // Its owner reads the outcome from the task.
            }
        })
        {
            IsBackground = true,
            Name = "child " + command.TargetFilePath,
        };
        thread.Start();
        ready.Wait();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return started!;
    }

    /// <summary>Variables that hold secrets for the toolkit itself; no child inherits them (Bazel's server would keep them in its environment and logs).</summary>
    public static readonly IReadOnlyList<string> WithheldVariables = ["SERVINGBUILD_REMOTE_HEADERS", Options.RemoteCacheUserInfo.Variable];

    private static Dictionary<string, string?> ChildEnvironment(ProcessSpec spec)
    {
        var environment = spec.Environment.ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var name in WithheldVariables)
        {
            environment.TryAdd(name, null); // null: removed from what the child inherits
        }

        return environment;
    }

    private static bool IsNotFound(Exception ex) =>
        ex is Win32Exception || ex.InnerException is Win32Exception;
}
