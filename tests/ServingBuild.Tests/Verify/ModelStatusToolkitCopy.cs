using ServingBuild.Options;
using ServingBuild.Protos;
using ServingBuild.Stubs;
using ServingBuild.Tasks;
using ServingBuild.Tests.Stubs;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Verify;

/// <summary>
/// A toolkit copy (like <see cref="ToolkitCopy"/>) whose protos/ the real Protos stage wrote from the bundled
/// workspace with --keep-rpc=Predict,GetModelStatus, and whose client the real Stubs stage built from them:
/// the client users get when they ask for model status. Built once per test run.
/// </summary>
public sealed class ModelStatusToolkitCopy : IAsyncLifetime
{
    public static readonly string[] Keep = ["--keep-rpc=Predict,GetModelStatus"];

    private static readonly TempDir SharedDir = new("toolkit-copy-status");
    private static readonly Lazy<Task<string>> SharedBuild = new(() => BuildAsync(SharedDir.Path));

    static ModelStatusToolkitCopy() => AppDomain.CurrentDomain.ProcessExit += (_, _) => SharedDir.Dispose();

    public string Root => SharedDir.Path;
    public ToolkitPaths Paths => new(Root);
    public string Protos => Path.Combine(Root, "protos");
    public string BuildLog { get; private set; } = "";

    public async Task InitializeAsync() => BuildLog = await SharedBuild.Value;

    private static async Task<string> BuildAsync(string root)
    {
        foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", "build.sh" })
        {
            File.Copy(Path.Combine(TestPaths.Root, file), Path.Combine(root, file));
        }

        foreach (var dir in new[] { "src/TensorFlowServing.Client", "src/ServingBuild.Verifier", "src/ServingBuild" })
        {
            ToolkitCopy.CopyTree(Path.Combine(TestPaths.Root, dir), Path.Combine(root, dir));
        }

        var console = new StringWriter();
        using var log = new TaskLog(null, console);
        var paths = new ToolkitPaths(root);
        var context = new StageContext(OptionsParser.Parse(["--protos-out=" + Path.Combine(root, "protos"), "--serving-dir=" + TestPaths.ServingMini, .. Keep], paths), paths, log);
        await new ProtosStage().RunAsync(context, CancellationToken.None);
        await new StubsStage().RunAsync(context, CancellationToken.None);
        return console.ToString();
    }

    public StageContext Context(TaskLog log, params string[] args) =>
        new(OptionsParser.Parse(["--protos-out=" + Protos, .. Keep, .. args], Paths), Paths, log);

    public Task DisposeAsync() => Task.CompletedTask;
}
