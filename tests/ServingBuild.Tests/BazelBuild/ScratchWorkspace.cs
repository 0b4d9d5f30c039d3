using ServingBuild.BazelBuild;
using ServingBuild.Options;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.BazelBuild;

/// <summary>
/// A private copy of the miniature serving workspace (so its own Bazel output base and server), for tests
/// that break the build or expunge it without disturbing the bundled workspace other tests use. Disposing
/// expunges the output base, which also stops its Bazel server.
/// </summary>
public sealed class ScratchWorkspace : IDisposable
{
    private readonly TempDir _dir = new("servingbuild-scratch");

    public ScratchWorkspace()
    {
        ServingDir = _dir.Combine("serving");
        Copy(TestPaths.ServingMini, ServingDir);
        Toolkit = new ToolkitPaths(_dir.Combine("toolkit"));
    }

    public string ServingDir { get; }

    /// <summary>Where this copy's runs write artifacts/logs.</summary>
    public ToolkitPaths Toolkit { get; }

    public string BazelLog => Path.Combine(Toolkit.Logs, BazelBuildStage.LogFileName);

    public string TaskLogPath => Path.Combine(Toolkit.Logs, "BazelBuild.log");

    /// <summary>Runs the real BazelBuild stage on this copy; the console view goes to the test output.</summary>
    public async Task<BazelBuildResult> BuildAsync(ITestOutputHelper output, string cacheDir, IReadOnlyDictionary<string, string?>? environment = null, params string[] args)
    {
        var options = OptionsParser.Parse([$"--serving-dir={ServingDir}", $"--cache-dir={cacheDir}", .. args], TestPaths.Toolkit);
        using var log = new TaskLog(TaskLogPath, new TestOutputWriter(output));
        var env = environment ?? Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
        return await new BazelBuildStage(env).BuildAsync(new StageContext(options, Toolkit, log), CancellationToken.None);
    }

    public async Task<ProcessResult> BazelAsync(params string[] args) =>
        await new ProcessRunner(TaskLog.Null).RunAsync(new ProcessSpec("bazel", args) { WorkingDirectory = ServingDir, Timeout = TimeSpan.FromMinutes(5) });

    public void Dispose()
    {
        BazelAsync("clean", "--expunge").GetAwaiter().GetResult();
        _dir.Dispose();
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            // Skip Bazel's convenience symlinks (bazel-bin, bazel-out, ...).
            if (entry.LinkTarget is not null)
            {
                continue;
            }

            var target = Path.Combine(to, entry.Name);
            if (entry is DirectoryInfo)
            {
                Copy(entry.FullName, target);
            }
            else
            {
                File.Copy(entry.FullName, target);
            }
        }
    }
}
