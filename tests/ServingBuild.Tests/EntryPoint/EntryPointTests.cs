using System.Text.RegularExpressions;
using ServingBuild.Options;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Test;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.EntryPoint;

/// <summary>./build.sh and ./build.ps1 as a user runs them: real processes, real Cake.</summary>
[Trait("Category", "Integration")]
[Collection(EntryPointCollection.Name)]
public class EntryPointTests(ITestOutputHelper output)
{
    private static readonly string[] Tasks = ["Doctor", "Provision", "BazelBuild", "Protos", "Stubs", "Verify", "Test", "Clean", "Default"];

    private async Task<ProcessResult> Run(string program, params string[] args)
    {
        var runner = new ProcessRunner(Require.Log(output));
        var result = await runner.RunAsync(new ProcessSpec(program, args)
        {
            WorkingDirectory = TestPaths.Root,
            Timeout = TimeSpan.FromMinutes(5),
            // CI and the Test task run with NO_COLOR unset; keep the output plain for the asserts.
            Environment = new Dictionary<string, string?> { ["NO_COLOR"] = "1" },
        });
        output.WriteLine($"exit {result.ExitCode}");
        return result;
    }

    [Fact]
    public async Task Description_lists_exactly_the_registrys_tasks_with_their_descriptions()
    {
        var result = await Run(Path.Combine(TestPaths.Root, "build.sh"), "--description");
        Assert.Equal(0, result.ExitCode);

        // Cake's table: a task's name starts a row, its description wraps over the rows that follow.
        var rows = BuildScript.Lines(result.StandardOutput).SkipWhile(l => !l.StartsWith("Task", StringComparison.Ordinal)).Skip(2).ToList();
        var listed = new Dictionary<string, string>();
        string? current = null;
        foreach (var row in rows)
        {
            var match = Regex.Match(row, @"^(\w+)\s{2,}(.*)$");
            if (match.Success && StageCatalog.Find(match.Groups[1].Value) is not null)
            {
                current = match.Groups[1].Value;
                listed[current] = match.Groups[2].Value.Trim();
            }
            else if (current is not null)
            {
                listed[current] += " " + row.Trim();
            }
        }

        Assert.Equal(StageCatalog.Tasks.Select(t => t.Name).Order(), listed.Keys.Order());
        foreach (var task in StageCatalog.Tasks)
        {
            Assert.Equal(task.Description, listed[task.Name]);
        }

        Assert.Equal(Tasks.Order(), StageCatalog.Tasks.Select(t => t.Name).Order());
    }

    [Fact]
    public async Task Tree_shows_Verify_depending_on_Stubs_and_Default_on_the_pipeline()
    {
        var result = await Run(Path.Combine(TestPaths.Root, "build.sh"), "--tree");
        Assert.Equal(0, result.ExitCode);
        var tree = result.StandardOutput.Replace("\r", "");
        Assert.Contains("Default\n├─Provision\n├─BazelBuild\n├─Protos\n├─Stubs\n└─Verify\n   └─Stubs\n", tree);
    }

    [Fact]
    public async Task An_unknown_target_fails_with_one_line_naming_the_valid_ones()
    {
        var result = await Run(Path.Combine(TestPaths.Root, "build.sh"), "--target=Nope");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("'Nope'", line);
        foreach (var task in Tasks)
        {
            Assert.Contains(task, line);
        }
    }

    [Fact]
    public async Task A_missing_serving_dir_fails_with_one_line_naming_the_path_before_any_task_runs()
    {
        var result = await Run(Path.Combine(TestPaths.Root, "build.sh"), "--target=Protos", "--serving-dir=/nonexistent");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("/nonexistent", line);

        // Cake never started: no task header, no summary row.
        Assert.DoesNotMatch(new Regex(@"^\s*Protos\s", RegexOptions.Multiline), result.StandardOutput);
        Assert.DoesNotContain("Succeeded", result.StandardOutput);
    }

    [Fact]
    public async Task An_unknown_option_fails_with_one_line()
    {
        var result = await Run(Path.Combine(TestPaths.Root, "build.sh"), "--target=Doctor", "--keep-rcp=Predict");
        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--keep-rcp", line);
        Assert.Contains("--keep-rpc", line);
    }

    [Fact]
    public async Task A_failing_task_keeps_its_own_exit_code_through_cake()
    {
        // Doctor exits 5 on findings; a checkout pinning a Bazel this host lacks is one.
        using var serving = new TempDir();
        serving.Write("tensorflow_serving/tools/docker/Dockerfile.devel", "ENV BAZEL_VERSION=99.1.0\n");
        var result = await Run(Path.Combine(TestPaths.Root, "build.sh"), "--target=Doctor", $"--serving-dir={serving.Path}");
        Assert.Equal(ExitCodes.DoctorFindings, result.ExitCode);
        Assert.Contains("Doctor failed (exit code 5)", result.StandardError);
        Assert.Contains("bazel wanted", result.StandardOutput);
    }

    [Fact]
    public async Task Build_ps1_runs_under_pwsh()
    {
        var cache = OptionsParser.Parse([], TestPaths.Toolkit).CacheDir;
        var pwsh = Require.Find("pwsh") ?? Require.Program(TestPrerequisites.PowerShellPath(cache), "PowerShell (dotnet tool; ./build.sh --target=Test installs it)");
        var description = await Run(pwsh, "-NoProfile", "-File", "./build.ps1", "--description");
        Assert.Equal(0, description.ExitCode);
        foreach (var task in Tasks)
        {
            Assert.Contains(task, description.StandardOutput);
        }

        var nope = await Run(pwsh, "-NoProfile", "-File", "./build.ps1", "--target=Nope");
        Assert.Equal(ExitCodes.Usage, nope.ExitCode);
    }
}

[CollectionDefinition(Name)]
public sealed class EntryPointCollection
{
    // build.sh may rebuild the entry point; runs that overlap would race on artifacts/.
    public const string Name = "build.sh";
}
