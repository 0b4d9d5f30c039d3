using ServingBuild.Clean;
using ServingBuild.Files;

namespace ServingBuild.Tests.HostScripts;

/// <summary>
/// Clean through ./build.sh on a host where .NET cannot start: what the toolkit writes under artifacts/ goes, anything
/// else there stays (as CleanStage leaves it), with CleanStage's closing line.
/// </summary>
[Trait("Category", "Integration")]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HostPathCleanTests(ITestOutputHelper output) : IDisposable
{
    private readonly HostPathToolkit _toolkit = new();

    public void Dispose() => _toolkit.Dispose();

    [Fact]
    public async Task Clean_removes_the_toolkits_outputs_and_leaves_what_someone_else_put_in_artifacts()
    {
        var artifacts = _toolkit.Paths.Artifacts;
        _toolkit.Write("toolkit/artifacts/bin/tensorflow_model_server", "built\n");
        _toolkit.Write("toolkit/artifacts/logs/BazelBuild.log", "log\n");
        _toolkit.Write("toolkit/artifacts/summary.json", "{}\n");
        _toolkit.Write($"toolkit/artifacts/{AtomicFile.TemporaryPrefix}123.json", "half\n");
        _toolkit.Write("toolkit/artifacts/release-notes.md", "someone's\n");
        _toolkit.Write("toolkit/artifacts/my builds/keep.txt", "someone's\n");
        var outside = _toolkit.Write("outside/keep.txt", "kept\n");
        Directory.CreateSymbolicLink(Path.Combine(artifacts, "verify"), Path.GetDirectoryName(outside)!);

        var run = await _toolkit.BuildShAsync(output, null, "--target=Clean");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.StandardError);
        Assert.Equal(["my builds", "release-notes.md"], Directory.GetFileSystemEntries(artifacts).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("kept\n", File.ReadAllText(outside));
        Assert.Equal(CleanStage.Removed(artifacts, "my builds, release-notes.md"), Assert.Single(HostPathToolkit.Lines(run.StandardOutput)));
    }
}
