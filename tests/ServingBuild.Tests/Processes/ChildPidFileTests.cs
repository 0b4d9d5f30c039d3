using System.Diagnostics;
using System.Globalization;
using ServingBuild.Processes;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Processes;

/// <summary>
/// The pidfiles a later run reaps: a child whose task is gone is killed, but only while it still runs the program
/// recorded; a child whose task still runs, or a pid now running something else, is left alone.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ChildPidFileTests : IDisposable
{
    private readonly TempDir _folder = new("pids");
    private readonly List<Process> _started = [];

    [Fact]
    public void Kills_a_child_whose_task_is_gone_and_removes_its_pidfile()
    {
        var orphan = Sleep();
        Record(orphan.Id, Exe(orphan.Id), DeadPid(), 1);

        var reaped = ChildPidFile.ReapOrphans(_folder.Path);

        Assert.Equal([orphan.Id], reaped.Select(r => r.Pid));
        Assert.True(orphan.WaitForExit(5000), "the orphan still runs");
        Assert.Empty(Directory.EnumerateFiles(_folder.Path));
    }

    [Fact]
    public void Leaves_a_child_alone_while_its_task_runs()
    {
        var child = Sleep();
        var me = Environment.ProcessId;
        Record(child.Id, Exe(child.Id), me, StartTime(me));

        Assert.Empty(ChildPidFile.ReapOrphans(_folder.Path));
        Assert.False(child.HasExited);
        Assert.Single(Directory.EnumerateFiles(_folder.Path));
    }

    [Fact]
    public void Leaves_a_recycled_pid_alone_when_it_runs_another_program()
    {
        var other = Sleep();
        Record(other.Id, "/usr/sbin/tensorflow_model_server_that_is_not_this", DeadPid(), 1);

        Assert.Empty(ChildPidFile.ReapOrphans(_folder.Path));
        Assert.False(other.HasExited);
        Assert.Empty(Directory.EnumerateFiles(_folder.Path)); // the stale record itself is gone
    }

    private Process Sleep()
    {
        var process = Process.Start(new ProcessStartInfo(Require.Program("sleep", "coreutils"), "300") { UseShellExecute = false })!;
        _started.Add(process);
        return process;
    }

    private static string Exe(int pid) => new FileInfo($"/proc/{pid}/exe").LinkTarget!;

    /// <summary>The pid of a process that has finished, as a task killed with -9 leaves it.</summary>
    private static int DeadPid()
    {
        using var done = Process.Start(new ProcessStartInfo(Require.Program("true", "coreutils")) { UseShellExecute = false })!;
        done.WaitForExit();
        return done.Id;
    }

    private static long StartTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19], CultureInfo.InvariantCulture);
    }

    private void Record(int pid, string binary, int owner, long ownerStart) =>
        File.WriteAllText(Path.Combine(_folder.Path, $"{pid}.pid"), $"{pid}\n{owner}\n{ownerStart}\n{binary}\n");

    public void Dispose()
    {
        foreach (var process in _started)
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.Dispose();
        }

        _folder.Dispose();
    }
}
