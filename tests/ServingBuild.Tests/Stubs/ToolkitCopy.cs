using ServingBuild.Tests.Support;
using ServingBuild.Options;
using ServingBuild.Protos;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Stubs;

namespace ServingBuild.Tests.Stubs;

/// <summary>
/// A copy of the toolkit's buildable parts (props, client, verifier, library, the committed protos/ with its real lock) in a temp
/// folder, so the Stubs stage builds and packs there and never touches the repository's own artifacts/.
/// The Stubs stage runs once per test run (the first fixture to start builds it; fixtures in other collections,
/// such as the Bazel one, await the same build); the folder is removed when the test process exits.
/// </summary>
public sealed class ToolkitCopy : IAsyncLifetime
{
    public const string ServingVersion = "2.20.0";

    private static readonly TempDir SharedDir = new("toolkit-copy");
    private static readonly Lazy<Task<string>> SharedBuild = new(() => BuildAsync(new ToolkitCopy()));

    static ToolkitCopy() => AppDomain.CurrentDomain.ProcessExit += (_, _) => SharedDir.Dispose();

    public string Root => SharedDir.Path;
    public ToolkitPaths Paths => new(Root);
    public string Protos => Path.Combine(Root, "protos");
    public string FirstRunLog { get; private set; } = "";

    public async Task InitializeAsync() => FirstRunLog = await SharedBuild.Value;

    private static async Task<string> BuildAsync(ToolkitCopy copy)
    {
        var root = copy.Root;
        foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", "build.sh" })
        {
            File.Copy(Path.Combine(TestPaths.Root, file), Path.Combine(root, file));
        }

        foreach (var dir in new[] { "src/TensorFlowServing.Client", "src/ServingBuild.Verifier", "src/ServingBuild" })
        {
            CopyTree(Path.Combine(TestPaths.Root, dir), Path.Combine(root, dir));
        }

        CopyTree(Path.Combine(TestPaths.Root, "protos"), copy.Protos);
        SetServingVersion(copy.Protos, ServingVersion);

        var console = new StringWriter();
        using var log = new TaskLog(null, console);
        await new StubsStage().RunAsync(copy.Context(log), CancellationToken.None);
        return console.ToString();
    }

    public StageContext Context(TaskLog log, params string[] args) =>
        new(OptionsParser.Parse(args.Any(a => a.StartsWith("--protos-out=", StringComparison.Ordinal)) ? args : ["--protos-out=" + Protos, .. args], Paths), Paths, log);

    /// <summary>
    /// Rewrites the real lock in protosDir (as the Protos stage wrote it) with another serving version: the
    /// bundled mini workspace has none, and the package version must be seen carrying one. Only that field
    /// changes, so the lock still matches the files.
    /// </summary>
    public static void SetServingVersion(string protosDir, string? servingVersion)
    {
        var theLock = ProtosLock.Read(protosDir) ?? throw new InvalidOperationException($"{protosDir} has no {ProtosLock.FileName} to rewrite");
        var path = Path.Combine(protosDir, ProtosLock.FileName);
        File.WriteAllText(path + ".tmp", (theLock with { ServingVersion = ServingBuild.Protos.ServingVersion.TryParse(servingVersion) }).ToJson());
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public static void CopyTree(string from, string to)
    {
        foreach (var file in SourceFiles.Under(from))
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

    public Task DisposeAsync() => Task.CompletedTask;
}
