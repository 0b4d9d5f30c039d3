using System.Globalization;
using ServingBuild.Files;

namespace ServingBuild.Processes;

/// <summary>
/// A pidfile for a long-running child (the model server, the verifier): its pid, the binary it runs, and the
/// task process that started it (pid and start time, so a recycled pid is not taken for it). A child whose task
/// died without stopping it (kill -9, where the parent-death signal is not available) is killed by the next run,
/// but only while /proc/&lt;pid&gt;/exe is still that binary: a pid reused by another program is left alone.
/// </summary>
public sealed record ChildPidFile(int Pid, string Binary, int OwnerPid, long OwnerStart)
{
    /// <summary>
    /// Records <paramref name="pid"/>; <paramref name="launcher"/> (setpriv) execs the real program, so its path is
    /// read from /proc once the exec happened.
    /// </summary>
    public static ChildPidFile? Write(string folder, int pid, string? launcher)
    {
        var exe = ExecutableOf(pid);
        for (var waited = 0; exe is not null && exe == launcher && waited < 2000; waited += 10)
        {
            Thread.Sleep(10);
            exe = ExecutableOf(pid);
        }

        if (exe is null || exe == launcher)
        {
            return null; // already gone, or never got past the launcher
        }

        var record = new ChildPidFile(pid, exe, Environment.ProcessId, StartTime(Environment.ProcessId) ?? 0);
        AtomicFile.WriteAllText(record.PathIn(folder), string.Join('\n', record.Pid, record.OwnerPid, record.OwnerStart, record.Binary) + "\n",
            UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return record;
    }

    public string PathIn(string folder) => System.IO.Path.Combine(folder, Pid.ToString(CultureInfo.InvariantCulture) + ".pid");

    public void Remove(string folder)
    {
        try
        {
            File.Delete(PathIn(folder));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Kills the children recorded in <paramref name="folder"/> whose task is gone; returns what it killed.</summary>
    public static IReadOnlyList<ChildPidFile> ReapOrphans(string folder)
    {
        var reaped = new List<ChildPidFile>();
        if (!Directory.Exists(folder))
        {
            return reaped;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.pid"))
        {
            var record = Read(file);
            if (record is null)
            {
                continue;
            }

            if (StartTime(record.OwnerPid) is { } start && start == record.OwnerStart)
            {
                continue; // its task still runs and will stop it
            }

            if (ExecutableOf(record.Pid) == record.Binary)
            {
                try
                {
                    using var process = System.Diagnostics.Process.GetProcessById(record.Pid);
                    process.Kill();
                    process.WaitForExit(TimeSpan.FromSeconds(5));
                    reaped.Add(record);
                }
                catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Gone meanwhile, or not ours to kill.
                }
            }

            record.Remove(folder);
        }

        return reaped;
    }

    /// <summary>The record in a pidfile, or null when it is unreadable or not one.</summary>
    public static ChildPidFile? Read(string file)
    {
        try
        {
            var lines = File.ReadAllLines(file);
            return lines.Length >= 4
                && int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && int.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var owner)
                && long.TryParse(lines[2], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                ? new ChildPidFile(pid, lines[3], owner, start)
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>What /proc/&lt;pid&gt;/exe points at, or null when the process is gone or not ours to look at.</summary>
    private static string? ExecutableOf(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid}/exe").LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The process's start time in clock ticks since boot (/proc/&lt;pid&gt;/stat, field 22).</summary>
    private static long? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? ticks : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
