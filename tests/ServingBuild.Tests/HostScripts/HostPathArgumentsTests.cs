using ServingBuild.Options;

namespace ServingBuild.Tests.HostScripts;

/// <summary>
/// The command line of ./build.sh on a host where .NET cannot start is refused where the entry point (EntryArguments,
/// OptionsParser) refuses it, with the same one line and exit code, and nothing runs.
/// </summary>
[Trait("Category", "Integration")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HostPathArgumentsTests(ITestOutputHelper output) : IDisposable
{
    private readonly HostPathToolkit _toolkit = new();

    public void Dispose() => _toolkit.Dispose();

    public static TheoryData<string[]> Refused => new()
    {
        new[] { "--target=" },
        new[] { "--target" },
        new[] { "--target=Doctor", "--target=Clean" },
        new[] { "--target=Nope\u001b[2J" },
        new[] { "--target=" + new string('N', 300) },
        new[] { "--target=Doctor", "--jobs=" },
        new[] { "--target=Doctor", "--auto-fix=" },
        new[] { "--target=Doctor", "--serving-dir=/tmp/a\nb" },
        new[] { "--target=Doctor", "--bazel-opt", "--copt=-O2\t-g" },
        new[] { "--target=Doctor", "--cache-dir=/tmp/\u202ecache" },
        new[] { "--target=Doctor", "--bazel=" + new string('b', 5000) },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Refused_as_the_entry_point_refuses_it_in_one_line(string[] args)
    {
        var expected = Assert.Throws<OptionsException>(() => EntryArguments.Parse(args, _toolkit.Paths));
        var run = await _toolkit.BuildShAsync(output, null, args);
        Assert.Equal(expected.ExitCode, run.ExitCode);
        var line = Assert.Single(HostPathToolkit.Lines(run.StandardError));
        Assert.Equal("error: " + string.Join(' ', expected.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)), line);
        Assert.Equal("", run.StandardOutput);
        Assert.False(Directory.Exists(Path.Combine(_toolkit.Root, "artifacts", "logs")), "a task started although the command line was refused");
    }
}
