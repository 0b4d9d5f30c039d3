using ServingBuild.Options;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Tasks;

/// <summary>The run file carries the one parse to every task: the validated options unchanged, the registry, Cake's arguments.</summary>
public sealed class RunFileTests : IDisposable
{
    private readonly TempDir _dir = new("run");

    [Fact]
    public void A_task_reads_back_exactly_the_options_prepare_validated()
    {
        var entry = EntryArguments.Parse(
            ["--target=stubs", "--keep-rpc=Predict,Classify", "--bazel-opt=--copt=-DX=\"a b\"", "--bazel-opt=--define=k=v;w", "--jobs=3", "--proto-layout=upstream", "--model-name=m\\n", "--dry-run"],
            TestPaths.Toolkit);
        var folder = _dir.Combine("42");

        RunFile.For(entry).WriteTo(folder, entry.CakeArguments);
        var read = RunFile.Read(Path.Combine(folder, RunFile.FileName));

        Assert.Equal("Stubs", read.Target);
        Assert.Equal(entry.Options with { KeepRpcs = [], BazelOpts = [], Distdirs = [] }, read.Options with { KeepRpcs = [], BazelOpts = [], Distdirs = [] });
        Assert.Equal(entry.Options.KeepRpcs, read.Options.KeepRpcs);
        Assert.Equal(["--copt=-DX=\"a b\"", "--define=k=v;w"], read.Options.BazelOpts);
        Assert.Equal("m\\n", read.Options.ModelName);
        Assert.Equal(ProtoLayout.Upstream, read.Options.ProtoLayout);
        Assert.Equal(StageCatalog.Tasks.Select(t => (t.Name, t.Description, string.Join(",", t.DependsOn), t.Runs)),
            read.Tasks.Select(t => (t.Name, t.Description, string.Join(",", t.DependsOn), t.Runs)));
    }

    [Fact]
    public void Every_option_survives_the_run_file_whatever_its_type()
    {
        // Each property set to a value unlike its default, so a property the run file drops or mangles shows.
        var options = OptionsParser.Parse([], TestPaths.Toolkit);
        foreach (var property in typeof(BuildOptions).GetProperties().Where(p => p.CanWrite))
        {
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            object value = type == typeof(string) ? "value of " + property.Name + " ;$(x) \\ \"q\""
                : type == typeof(bool) ? true
                : type == typeof(int) ? 7
                : type == typeof(long) ? 1L << 40
                : type == typeof(double) ? 0.1 + 0.2
                : type.IsEnum ? Enum.GetValues(type).Cast<object>().Last()
                : type.IsAssignableFrom(typeof(string[])) ? new[] { property.Name, "--second=a b" }
                : throw new InvalidOperationException($"BuildOptions.{property.Name} has a type this test does not know: {type}");
            property.SetValue(options, value);
        }

        var entry = new EntryArguments { Target = "Default", CakeArguments = ["--target=Default"], Options = options };
        var folder = _dir.Combine("44");
        RunFile.For(entry).WriteTo(folder, entry.CakeArguments);
        var read = RunFile.Read(Path.Combine(folder, RunFile.FileName)).Options;

        foreach (var property in typeof(BuildOptions).GetProperties().Where(p => p.CanWrite))
        {
            var expected = property.GetValue(options);
            var actual = property.GetValue(read);
            if (expected is IEnumerable<string> list)
            {
                Assert.Equal(list, (IEnumerable<string>)actual!);
            }
            else
            {
                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_run_file_and_cakes_arguments_are_for_the_owner_only()
    {
        var entry = EntryArguments.Parse(["--target=Verify", "--exclusive", "--verbosity=quiet"], TestPaths.Toolkit);
        var folder = _dir.Combine("43");

        RunFile.For(entry).WriteTo(folder, entry.CakeArguments);

        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(ownerOnly, File.GetUnixFileMode(Path.Combine(folder, RunFile.FileName)));
        Assert.Equal(ownerOnly, File.GetUnixFileMode(Path.Combine(folder, RunFile.CakeArgumentsFileName)));
        Assert.Equal("--target=Verify\0--verbosity=quiet\0--exclusive\0", File.ReadAllText(Path.Combine(folder, RunFile.CakeArgumentsFileName)));
    }

    [Fact]
    public void A_corrupt_run_file_is_one_line_with_the_usage_code()
    {
        var path = _dir.Write("bad.json", "{\"target\": 3");
        var ex = Assert.Throws<ToolkitException>(() => RunFile.Read(path));
        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
        Assert.Contains(path, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Run_folders_of_finished_runs_are_removed_and_live_ones_kept()
    {
        var live = Directory.CreateDirectory(_dir.Combine(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))).FullName;
        var dead = Directory.CreateDirectory(_dir.Combine("999999999")).FullName;
        var other = Directory.CreateDirectory(_dir.Combine("children")).FullName;

        RunFile.RemoveStale(_dir.Path);

        Assert.True(Directory.Exists(live));
        Assert.False(Directory.Exists(dead));
        Assert.True(Directory.Exists(other));
    }

    public void Dispose() => _dir.Dispose();
}
