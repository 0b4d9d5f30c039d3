using ServingBuild.BazelBuild;
using ServingBuild.Options;
using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.Tests.Support;

/// <summary>
/// Builds the bundled miniature workspace's tensorflow_model_server once per test run, with the real
/// BazelBuild stage (and --auto-fix, so a host without /usr/include/stropts.h still builds), and says where
/// the binary and the half_plus_two test model are. Use through [Collection(BazelCollection.Name)].
/// </summary>
public sealed class MiniServerBuild : IAsyncLifetime
{
    private readonly TempDir _root = new("servingbuild-mini");
    private BazelBuildResult? _result;

    public string ServingDir => TestPaths.ServingMini;

    /// <summary>Absolute path of bazel-bin/tensorflow_serving/model_servers/tensorflow_model_server.</summary>
    public string BinaryPath => _result?.BinaryPath ?? throw new InvalidOperationException("the mini server was not built");

    /// <summary>--model_base_path for the served half_plus_two (version folder 00000123 inside).</summary>
    public string ModelBasePath => ServerBinary.HalfPlusTwoModel(ServingDir);

    public const string ModelName = "half_plus_two";

    public BazelBuildResult Result => _result ?? throw new InvalidOperationException("the mini server was not built");

    /// <summary>The options the fixture builds with; tests building the same workspace again reuse them.</summary>
    public BuildOptions Options { get; private set; } = null!;

    public ToolkitPaths Paths => new(_root.Path);

    public async Task InitializeAsync()
    {
        Require.Program("bazel", "bazel-bootstrap");
        Options = OptionsParser.Parse(["--auto-fix"], TestPaths.Toolkit);
        using var log = new TaskLog(Path.Combine(_root.Path, "artifacts", "logs", "BazelBuild.log"), TextWriter.Null);
        var context = new StageContext(Options, Paths, log);
        _result = await new BazelBuildStage().BuildAsync(context, CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        _root.Dispose();
        return Task.CompletedTask;
    }
}
