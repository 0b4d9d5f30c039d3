using ServingBuild.Stubs;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Stubs;

/// <summary>A protos folder whose name is MSBuild syntax reaches the build as one path, never as properties.</summary>
[Trait("Category", "Integration")]
[Collection(ToolkitCopyCollection.Name)]
public sealed class StubsProtosPathTests(ToolkitCopy copy, ITestOutputHelper output)
{
    [Fact]
    public async Task A_semicolon_in_the_protos_folder_adds_no_msbuild_property()
    {
        using var parent = new TempDir("protos-msbuild");
        var protos = parent.Combine("p;Version=9.9.9;X=%41");
        ToolkitCopy.CopyTree(copy.Protos, protos);

        // This build stands in for the shared copy's own; its stamp is put back so the other tests see theirs.
        var stampPath = StubsStage.StampPath(copy.Paths);
        var stamp = File.ReadAllBytes(stampPath);
        var console = new StringWriter();
        try
        {
            using var log = new TaskLog(null, console);
            Assert.Equal(0, await new StubsStage().RunAsync(copy.Context(log, "--protos-out=" + protos), CancellationToken.None));
        }
        finally
        {
            output.WriteLine(console.ToString());
            File.WriteAllBytes(stampPath, stamp);
        }

        var packages = Directory.GetFiles(copy.Paths.Packages).Select(Path.GetFileName).ToList();
        Assert.Contains($"TensorFlowServing.Client.{ToolkitCopy.ServingVersion}-client.1.nupkg", packages);
        Assert.DoesNotContain(packages, p => p!.Contains("9.9.9", StringComparison.Ordinal));
        Assert.Contains($"{protos} matches its lock", console.ToString());
    }
}
