using ServingBuild.Processes;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Processes;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProgramPathTests
{
    [Fact]
    public void The_first_executable_on_the_path_wins_and_plain_files_do_not_count()
    {
        using var dir = new TempDir();
        var notExecutable = dir.Write("a/tool", "#!/bin/sh\n");
        var executable = dir.Write("b/tool", "#!/bin/sh\n");
        File.SetUnixFileMode(executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var later = dir.Write("c/tool", "#!/bin/sh\n");
        File.SetUnixFileMode(later, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var path = string.Join(':', dir.Combine("missing"), dir.Combine("a"), dir.Combine("b"), dir.Combine("c"));
        Assert.Equal(executable, ProgramPath.Find("tool", path));
        Assert.Null(ProgramPath.Find("tool", dir.Combine("a")));
        Assert.Null(ProgramPath.Find("other", path));
        Assert.True(File.Exists(notExecutable));
    }

    [Fact]
    public void A_name_with_a_slash_is_a_path_made_absolute()
    {
        using var dir = new TempDir();
        var tool = dir.Write("tool", "#!/bin/sh\n");
        File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        Assert.Equal(tool, ProgramPath.Find(tool, pathVariable: ""));
        Assert.Null(ProgramPath.Find(dir.Combine("nope"), pathVariable: ""));
    }

    [Fact]
    public void Without_a_path_given_this_processs_PATH_is_searched()
    {
        var sh = ProgramPath.Find("sh");
        Assert.NotNull(sh);
        Assert.Contains(Path.GetDirectoryName(sh)!, Environment.GetEnvironmentVariable("PATH")!.Split(':'));
    }
}
