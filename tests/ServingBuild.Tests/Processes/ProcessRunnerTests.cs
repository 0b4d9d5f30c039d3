using System.Diagnostics;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Processes;

/// <summary>The one place external programs start: exit codes, timeouts, streaming and stopping, with real processes.</summary>
[Trait("Category", "Integration")]
public sealed class ProcessRunnerTests(ITestOutputHelper output)
{
    private ProcessRunner Runner() => new(Require.Log(output));

    [Fact]
    public async Task A_non_zero_exit_is_returned_and_RunChecked_names_the_command_and_its_last_line()
    {
        var spec = new ProcessSpec("bash", "-c", "echo first; echo 'the cause' >&2; exit 3");
        var result = await Runner().RunAsync(spec);
        Assert.Equal(3, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.False(result.TimedOut);
        Assert.Equal("first\n", result.StandardOutput);
        Assert.Equal("the cause\n", result.StandardError);

        var failing = new ProcessSpec("bash", "-c", "echo 'the cause' >&2; exit 3");
        var ex = await Assert.ThrowsAsync<ToolkitException>(() => Runner().RunCheckedAsync(failing, "doing the thing"));
        Assert.Equal("doing the thing: `bash -c 'echo '\\''the cause'\\'' >&2; exit 3'` failed (exit code 3): the cause", ex.Message);
        Assert.Equal(ExitCodes.StageFailed, ex.ExitCode);
    }

    [Fact]
    public void A_program_that_is_not_installed_is_a_prerequisite_error()
    {
        var ex = Assert.Throws<ProgramNotFoundException>(() => Runner().Start(new ProcessSpec("servingbuild-no-such-program")));
        Assert.Equal(ExitCodes.Prerequisite, ex.ExitCode);
        Assert.StartsWith("program 'servingbuild-no-such-program' was not found on PATH", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_process_past_its_timeout_is_stopped_and_marked_timed_out()
    {
        var clock = Stopwatch.StartNew();
        var result = await Runner().RunAsync(new ProcessSpec("sleep", "30") { Timeout = TimeSpan.FromMilliseconds(300), GracePeriod = TimeSpan.FromMilliseconds(300) });
        Assert.True(result.TimedOut);
        Assert.False(result.Succeeded);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Lines_stream_while_the_process_runs_and_reach_the_log()
    {
        var console = new StringWriter();
        using var log = new TaskLog(null, console, verbose: true);
        var first = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lines = new List<string>();
        var handle = new ProcessRunner(log).Start(
            new ProcessSpec("bash", "-c", "echo one; sleep 30; echo two") { GracePeriod = TimeSpan.FromMilliseconds(200) },
            line =>
            {
                lock (lines)
                {
                    lines.Add(line);
                }

                first.TrySetResult(true);
            });

        // "one" arrives while bash still sleeps: streamed, not collected at the end.
        Assert.True(await first.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(handle.HasExited);
        await handle.StopAsync();
        Assert.Equal(["one"], lines);
        Assert.Contains("  one", console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_kills_a_child_that_ignores_SIGINT_and_its_own_children()
    {
        using var cts = new CancellationTokenSource();
        var pids = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handle = Runner().Start(
            new ProcessSpec("bash", "-c", "trap '' INT; sleep 60 & echo $!; wait") { GracePeriod = TimeSpan.FromMilliseconds(500) },
            line => pids.TrySetResult(line),
            cts.Token);
        var sleepPid = int.Parse(await pids.Task.WaitAsync(TimeSpan.FromSeconds(10)), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Alive(handle.ProcessId) && Alive(sleepPid));

        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handle.Completion.WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.False(Alive(handle.ProcessId), "bash survived the cancel");
        for (var i = 0; i < 50 && Alive(sleepPid); i++)
        {
            await Task.Delay(100);
        }

        Assert.False(Alive(sleepPid), "bash's child survived the cancel");
    }

    /// <summary>Running and not a zombie waiting to be reaped.</summary>
    private static bool Alive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            return File.Exists(stat) && File.ReadAllText(stat).Split(") ")[1][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
