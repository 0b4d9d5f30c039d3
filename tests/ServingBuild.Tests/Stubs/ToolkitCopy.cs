using ServingBuild.Tests.Support;
using System.Text.Json;
using ServingBuild.Options;
using ServingBuild.Running;
using ServingBuild.Stubs;

namespace ServingBuild.Tests.Stubs;

/// <summary>
/// A copy of the toolkit's buildable parts (props, client, verifier, library, protos/ with a lock) in a temp
/// folder, so the Stubs stage builds and packs there and never touches the repository's own artifacts/.
/// The Stubs stage runs once when the fixture is created; the Stubs and Verify tests share the result.
/// </summary>
public sealed class ToolkitCopy : IAsyncLifetime
{
    public const string ServingVersion = "2.20.0";

    private readonly TempDir _dir = new("toolkit-copy");

    public string Root => _dir.Path;
    public ToolkitPaths Paths => new(Root);
    public string Protos => Path.Combine(Root, "protos");
    public string FirstRunLog { get; private set; } = "";

    public async Task InitializeAsync()
    {
        foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", "build.sh" })
        {
            File.Copy(Path.Combine(TestPaths.Root, file), Path.Combine(Root, file));
        }

        foreach (var dir in new[] { "src/TensorFlowServing.Client", "src/ServingBuild.Verify", "src/ServingBuild" })
        {
            CopyTree(Path.Combine(TestPaths.Root, dir), Path.Combine(Root, dir));
        }

        CopyTree(Path.Combine(TestPaths.Root, "protos"), Protos);
        WriteLock(Protos, ServingVersion);

        var console = new StringWriter();
        using var log = new TaskLog(null, console);
        await new StubsStage().RunAsync(Context(log), CancellationToken.None);
        FirstRunLog = console.ToString();
    }

    public StageContext Context(TaskLog log, params string[] args) =>
        new(OptionsParser.Parse(args.Any(a => a.StartsWith("--protos-out=", StringComparison.Ordinal)) ? args : ["--protos-out=" + Protos, .. args], Paths), Paths, log);

    /// <summary>Writes protos.lock.json as the Protos stage would, from the files present.</summary>
    public static void WriteLock(string protosDir, string? servingVersion)
    {
        var outputs = Directory.EnumerateFiles(protosDir, "*.proto", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(protosDir, f).Replace('\\', '/'), ProtosLock.Sha256);
        File.WriteAllText(Path.Combine(protosDir, ProtosLock.FileName), JsonSerializer.Serialize(new { outputs, servingVersion }));
    }

    public static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(from, file);
            if (rel.StartsWith("bin/", StringComparison.Ordinal) || rel.StartsWith("obj/", StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.Combine(to, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
