using ServingBuild.Tests.Support;
using System.IO.Compression;
using ServingBuild.Protos;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Stubs;

namespace ServingBuild.Tests.Stubs;

[Collection(ToolkitCopyCollection.Name)]
[Trait("Category", "Integration")]
public sealed class StubsStageTests(ToolkitCopy copy, ITestOutputHelper output)
{
    [Fact]
    public void Builds_checks_and_packs_the_client_with_the_serving_version()
    {
        output.WriteLine(copy.FirstRunLog);
        var package = Path.Combine(copy.Paths.Packages, "TensorFlowServing.Client.2.20.0-client.1.nupkg");
        Assert.True(File.Exists(package), copy.FirstRunLog);
        using var zip = ZipFile.OpenRead(package);
        Assert.Contains(zip.Entries, e => e.FullName == "lib/net10.0/TensorFlowServing.Client.dll");
        Assert.Contains("PredictionServiceClient exposes", copy.FirstRunLog);
        Assert.True(File.Exists(StubsStage.VerifierDll(copy.Paths)));
        Assert.Equal(["Predict"], ClientSurface.Read(StubsStage.ClientDll(copy.Paths)).Rpcs);
    }

    [Fact]
    public async Task Two_runs_at_once_take_turns_in_their_own_scratch_folders_and_both_succeed()
    {
        // A changed client source makes the first run build; the second waits for the lock, then finds it current.
        File.AppendAllText(Path.Combine(copy.Root, "src", "TensorFlowServing.Client", "ServingClient.cs"), $"\n// {Guid.NewGuid():N}\n");
        var consoles = new[] { new StringWriter(), new StringWriter() };
        var runs = consoles.Select(async c =>
        {
            using var log = new TaskLog(null, c);
            return await new StubsStage().RunAsync(copy.Context(log), CancellationToken.None);
        }).ToArray();

        var exits = await Task.WhenAll(runs);

        output.WriteLine(string.Join("\n---\n", consoles.Select(c => c.ToString())));
        Assert.Equal([0, 0], exits);
        Assert.Single(consoles, c => c.ToString().Contains("nothing changed since the last build", StringComparison.Ordinal));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(StubsStage.StampPath(copy.Paths))!, ServingBuild.Files.AtomicFile.TemporaryPrefix + "*"));
    }

    [Fact]
    public async Task Does_nothing_when_nothing_changed()
    {
        var stamp = StubsStage.StampPath(copy.Paths);
        var before = File.GetLastWriteTimeUtc(stamp);
        var console = new StringWriter();
        using var log = new TaskLog(null, console);

        Assert.Equal(0, await new StubsStage().RunAsync(copy.Context(log), CancellationToken.None));

        Assert.Contains("nothing changed since the last build", console.ToString());
        Assert.DoesNotContain("building the client", console.ToString());
        Assert.Equal(before, File.GetLastWriteTimeUtc(stamp));
    }

    [Fact]
    public async Task Protos_that_do_not_match_their_lock_stop_the_stage_before_any_build()
    {
        using var protos = new TempDir("protos");
        ToolkitCopy.CopyTree(copy.Protos, protos.Path);
        File.AppendAllText(protos.Combine("predict.proto"), "\nmessage Extra {}\n");
        var console = new StringWriter();
        using var log = new TaskLog(null, console);

        var ex = await Assert.ThrowsAsync<ProtosOutOfDateException>(() =>
            new StubsStage().RunAsync(copy.Context(log, "--protos-out=" + protos.Path), CancellationToken.None));
        Assert.Contains("predict.proto changed", ex.Message);
        Assert.Contains("./build.sh --target=Protos", ex.Message);
        Assert.Empty(console.ToString());
    }

    [Fact]
    public async Task A_missing_protos_folder_or_lock_stops_the_stage_with_the_fix()
    {
        using var empty = new TempDir("no-protos");
        using var log = TaskLog.Null;

        var noLock = await Assert.ThrowsAsync<ProtosOutOfDateException>(() =>
            new StubsStage().RunAsync(copy.Context(log, "--protos-out=" + empty.Path), CancellationToken.None));
        Assert.Equal($"{empty.Path} has no protos.lock.json, so its protos cannot be trusted; regenerate it with ./build.sh --target=Protos", noLock.Message);

        var noFolder = await Assert.ThrowsAsync<ProtosOutOfDateException>(() =>
            new StubsStage().RunAsync(copy.Context(log, "--protos-out=" + empty.Combine("nope")), CancellationToken.None));
        Assert.Equal($"{empty.Combine("nope")} does not exist; generate it with ./build.sh --target=Protos", noFolder.Message);
    }
}
