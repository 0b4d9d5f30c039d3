using System.Reflection;
using ServingBuild.Options;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.EntryPoint;

/// <summary>The README documents every task, option and exit code the code has: it must stay true.</summary>
public class ReadmeTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(TestPaths.Root, "README.md"));

    [Fact]
    public void Every_task_has_a_row()
    {
        foreach (var stage in StageCatalog.Stages)
        {
            Assert.Contains($"| {stage.Name} |", Readme, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_option_has_a_row()
    {
        foreach (var option in OptionsParser.Specs.Concat(EntryArguments.CakeSpecs))
        {
            Assert.Contains($"| `--{option.Name}", Readme, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_exit_code_has_a_row()
    {
        foreach (var field in typeof(ExitCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var code = (int)field.GetValue(null)!;
            Assert.Contains($"\n| {code} |", Readme, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_script_the_readme_names_exists()
    {
        foreach (var match in System.Text.RegularExpressions.Regex.Matches(Readme, @"scripts/[\w.-]+\.(sh|py)").Select(m => m.Value).Distinct())
        {
            Assert.True(File.Exists(Path.Combine(TestPaths.Root, match)), $"README names {match}, which does not exist");
        }
    }
}
