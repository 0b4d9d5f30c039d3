using System.Runtime.InteropServices;
using ServingBuild.Files;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Files;

/// <summary>The one writer, in-process: what it replaces, what it refuses, what it leaves behind.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class AtomicFileTests
{
    [Fact]
    public void Writes_the_content_and_leaves_no_temporary()
    {
        using var dir = new TempDir();
        var path = dir.Combine("out", "a.txt");

        AtomicFile.WriteAllText(path, "hello\n");

        Assert.Equal("hello\n", File.ReadAllText(path));
        Assert.Equal(["a.txt"], Names(dir.Combine("out")));
    }

    [Fact]
    public void A_new_file_is_0644_and_a_replaced_file_keeps_its_mode()
    {
        using var dir = new TempDir();
        var fresh = dir.Combine("fresh");
        var kept = dir.Write("kept", "old");
        File.SetUnixFileMode(kept, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        AtomicFile.WriteAllText(fresh, "x");
        AtomicFile.WriteAllText(kept, "new");

        Assert.Equal(AtomicFile.DefaultMode, File.GetUnixFileMode(fresh));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(kept));
        Assert.Equal("new", File.ReadAllText(kept));
    }

    [Fact]
    public void A_given_mode_is_applied()
    {
        using var dir = new TempDir();
        var path = dir.Combine("script.sh");

        AtomicFile.WriteAllText(path, "#!/bin/sh\n", AtomicFile.ExecutableMode);

        Assert.Equal(AtomicFile.ExecutableMode, File.GetUnixFileMode(path));
    }

    [Fact]
    public void A_character_device_is_refused_before_anything_is_written_beside_it()
    {
        var before = Names("/dev");

        var ex = Assert.Throws<ToolkitException>(() => AtomicFile.WriteAllText("/dev/null", "x"));

        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
        Assert.Contains("/dev/null is a character device", ex.Message);
        Assert.DoesNotContain(Names("/dev").Except(before), n => n.StartsWith(AtomicFile.TemporaryPrefix, StringComparison.Ordinal));
        Assert.Equal("a character device", AtomicFile.Describe("/dev/null"));
    }

    [Fact]
    public void A_fifo_is_refused_and_stays_a_fifo()
    {
        using var dir = new TempDir();
        var fifo = dir.Combine("pipe");
        Assert.Equal(0, MakeFifo(fifo, 0x1A4));

        var ex = Assert.Throws<ToolkitException>(() => AtomicFile.WriteAllText(fifo, "x"));

        Assert.Contains("is a FIFO", ex.Message);
        Assert.Equal("a FIFO", AtomicFile.Describe(fifo));
        Assert.Equal(["pipe"], Names(dir.Path));
    }

    [Fact]
    public void A_folder_is_refused()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("sub"));

        var ex = Assert.Throws<ToolkitException>(() => AtomicFile.WriteAllText(dir.Combine("sub"), "x"));

        Assert.Contains("is a folder", ex.Message);
        Assert.True(Directory.Exists(dir.Combine("sub")));
    }

    [Fact]
    public void A_link_to_a_users_file_is_refused_and_the_file_is_untouched()
    {
        using var dir = new TempDir();
        var mine = dir.Write("mine.txt", "mine");
        var link = dir.Combine("link.txt");
        File.CreateSymbolicLink(link, mine);

        var ex = Assert.Throws<ToolkitException>(() => AtomicFile.WriteAllText(link, "x"));

        Assert.Contains("is a symbolic link", ex.Message);
        Assert.Equal("mine", File.ReadAllText(mine));
        Assert.Equal(mine, new FileInfo(link).LinkTarget);
    }

    [Fact]
    public void A_path_below_a_file_fails_in_one_line_naming_the_file()
    {
        using var dir = new TempDir();
        var file = dir.Write("plain", "x");

        var ex = Assert.Throws<ToolkitException>(() => AtomicFile.WriteAllText(Path.Combine(file, "deeper", "out.txt"), "x"));

        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
        Assert.Contains(file + " is", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void A_failing_writer_leaves_the_old_file_and_no_temporary()
    {
        using var dir = new TempDir();
        var path = dir.Write("report.json", "old");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("half"u8);
            throw new InvalidOperationException("boom");
        }));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["report.json"], Names(dir.Path));
    }

    [Fact]
    public async Task A_failed_check_before_the_rename_leaves_the_old_file()
    {
        using var dir = new TempDir();
        var path = dir.Write("bazel", "old");

        await Assert.ThrowsAsync<ToolkitException>(() => AtomicFile.WriteAsync(path, (s, ct) => s.WriteAsync("corrupt"u8.ToArray(), ct).AsTask(), null, CancellationToken.None,
            _ => throw new ToolkitException("checksum mismatch")));

        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["bazel"], Names(dir.Path));
    }

    [Fact]
    public void Stale_temporaries_of_dead_runs_are_removed_and_live_ones_kept()
    {
        using var dir = new TempDir();
        var dead = DeadPid();
        dir.Write($"{AtomicFile.TemporaryPrefix}{dead}-0123-out.txt", "stale");
        dir.Write($"{AtomicFile.TemporaryPrefix}{dead}-4567-protos/a.proto", "stale folder");
        var live = dir.Write($"{AtomicFile.TemporaryPrefix}{Environment.ProcessId}-89ab-out.txt", "in use");
        dir.Write("users-file.txt", "mine");

        var removed = AtomicFile.RemoveStaleTemporaries(dir.Path);

        Assert.Equal(2, removed);
        Assert.Equal([Path.GetFileName(live), "users-file.txt"], Names(dir.Path));
    }

    [Fact]
    public void A_stale_temporary_that_is_a_link_is_removed_as_a_link_only()
    {
        using var dir = new TempDir();
        using var elsewhere = new TempDir();
        var precious = elsewhere.Write("keep/me.txt", "precious");
        File.CreateSymbolicLink(dir.Combine($"{AtomicFile.TemporaryPrefix}{DeadPid()}-0-x"), elsewhere.Combine("keep"));

        AtomicFile.RemoveStaleTemporaries(dir.Path);

        Assert.Empty(Names(dir.Path));
        Assert.Equal("precious", File.ReadAllText(precious));
    }

    [Fact]
    public void A_streaming_log_replaces_a_link_instead_of_writing_through_it()
    {
        using var dir = new TempDir();
        var victim = dir.Write("victim.txt", "untouched");
        var log = dir.Combine("task.log");
        File.CreateSymbolicLink(log, victim);

        var ex = Assert.Throws<ToolkitException>(() => AtomicFile.CreateStreaming(log));

        Assert.Contains("symbolic link", ex.Message);
        Assert.Equal("untouched", File.ReadAllText(victim));
    }

    [Fact]
    public void A_streaming_log_is_visible_while_it_grows()
    {
        using var dir = new TempDir();
        var log = dir.Write("task.log", "previous run");

        using (var stream = AtomicFile.CreateStreaming(log))
        {
            stream.Write("line 1\n"u8);
            stream.Flush();
            Assert.Equal("line 1\n", File.ReadAllText(log));
        }

        Assert.Equal(["task.log"], Names(dir.Path));
    }

    [Fact]
    public void A_long_name_still_gives_a_temporary_the_file_system_accepts()
    {
        using var dir = new TempDir();
        var path = dir.Combine(new string('n', 250));

        AtomicFile.WriteAllText(path, "x");

        Assert.Equal("x", File.ReadAllText(path));
    }

    [Fact]
    public async Task A_second_lock_on_one_folder_waits_then_fails_in_one_line_and_succeeds_once_released()
    {
        using var dir = new TempDir();
        var first = await OutputLock.AcquireAsync(dir.Path, "the test output", TimeSpan.Zero, CancellationToken.None);

        var busy = await Assert.ThrowsAsync<OutputBusyException>(() => OutputLock.AcquireAsync(dir.Path, "the test output", TimeSpan.FromMilliseconds(300), CancellationToken.None));
        first.Dispose();
        using var second = await OutputLock.AcquireAsync(dir.Path, "the test output", TimeSpan.Zero, CancellationToken.None);

        Assert.Contains("the test output", busy.Message);
        Assert.DoesNotContain('\n', busy.Message);
    }

    private static string[] Names(string dir) =>
        Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    private static int DeadPid()
    {
        for (var pid = 4_000_000; ; pid--)
        {
            if (!Directory.Exists($"/proc/{pid}"))
            {
                return pid;
            }
        }
    }

    [DllImport("libc", EntryPoint = "mkfifo")]
    private static extern int MakeFifo(string path, uint mode);
}
