using ServingBuild.Clean;
using ServingBuild.Options;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Clean;

/// <summary>Clean removes what the toolkit wrote under artifacts/ and nothing of the user's.</summary>
public sealed class CleanStageTests
{
    [Fact]
    public async Task Removes_artifacts_but_not_what_a_link_inside_points_to_nor_protos_nor_a_users_checkout()
    {
        using var root = new TempDir("toolkit");
        using var outside = new TempDir("users");
        var paths = new ToolkitPaths(root.Path);
        root.Write("artifacts/logs/Protos.log", "log\n");
        root.Write("artifacts/packages/TensorFlowServing.Client.0.0.0-client.1.nupkg", "pkg");
        root.Write("artifacts/summary.json", "{}");
        var keep = outside.Write("precious/data.txt", "the user's\n");
        Directory.CreateSymbolicLink(root.Combine("artifacts", "linked"), outside.Combine("precious"));
        var protos = root.Write("protos/predict.proto", "syntax = \"proto3\";\n");
        // A user's checkout with Bazel outputs: only the bundled workspace is ever cleaned.
        var checkout = outside.Write("serving/WORKSPACE", "");
        Directory.CreateDirectory(outside.Combine("serving", "bazel-out"));

        var console = new StringWriter();
        using var log = new TaskLog(null, console);
        var options = OptionsParser.Parse(["--serving-dir=" + outside.Combine("serving")], paths);
        Assert.Equal(ExitCodes.Ok, await new CleanStage().RunAsync(new StageContext(options, paths, log), CancellationToken.None));

        // Only the link remains: not the toolkit's, so Clean leaves it (and never follows it).
        Assert.Equal([root.Combine("artifacts", "linked")], Directory.EnumerateFileSystemEntries(paths.Artifacts));
        Assert.Equal("the user's\n", File.ReadAllText(keep));
        Assert.True(File.Exists(protos));
        Assert.True(File.Exists(checkout));
        Assert.True(Directory.Exists(outside.Combine("serving", "bazel-out")));
        Assert.Contains($"removed the toolkit's outputs from {paths.Artifacts}", console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_to_clean_is_not_an_error()
    {
        using var root = new TempDir("toolkit");
        var paths = new ToolkitPaths(root.Path);
        using var log = new TaskLog(null, new StringWriter());
        var options = OptionsParser.Parse(["--serving-dir=" + root.Path], paths);
        Assert.Equal(ExitCodes.Ok, await new CleanStage().RunAsync(new StageContext(options, paths, log), CancellationToken.None));
        Assert.False(Directory.Exists(paths.Artifacts));
    }
}
