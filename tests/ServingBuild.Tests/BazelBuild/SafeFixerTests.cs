using ServingBuild.BazelBuild;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.BazelBuild;

/// <summary>The stropts.h fix, in a scratch include folder (never the host's /usr/include).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SafeFixerTests
{
    [Fact]
    public async Task The_stropts_fix_creates_an_empty_world_readable_header()
    {
        using var include = new TempDir("include");
        var console = new StringWriter();
        using var log = new TaskLog(null, console);
        var fixer = new SafeFixer(new ProcessRunner(log), include.Path);

        Assert.True(await fixer.ApplyAsync(SafeFix.StroptsShim, CancellationToken.None));

        Assert.Equal(include.Combine("stropts.h"), fixer.StroptsPath);
        Assert.Equal(0, new FileInfo(fixer.StroptsPath).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(fixer.StroptsPath));
        Assert.Contains($"created an empty {fixer.StroptsPath} (0644)", console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_existing_header_is_left_as_it_is()
    {
        using var include = new TempDir("include");
        var existing = include.Write("stropts.h", "/* a real one */\n");
        var console = new StringWriter();
        using var log = new TaskLog(null, console);

        Assert.True(await new SafeFixer(new ProcessRunner(log), include.Path).ApplyAsync(SafeFix.StroptsShim, CancellationToken.None));

        Assert.Equal("/* a real one */\n", File.ReadAllText(existing));
        Assert.Contains("already exists; left as it is", console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fix_it_does_not_know_is_refused()
    {
        using var include = new TempDir("include");
        Assert.False(await new SafeFixer(new ProcessRunner(TaskLog.Null), include.Path).ApplyAsync((SafeFix)999, CancellationToken.None));
        Assert.Empty(Directory.EnumerateFileSystemEntries(include.Path));
    }
}
