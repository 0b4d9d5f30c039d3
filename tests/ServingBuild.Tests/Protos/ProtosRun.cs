using ServingBuild.Options;
using ServingBuild.Protos;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Protos;

/// <summary>Runs the real Protos stage (real protoc) with a throwaway toolkit root for artifacts/.</summary>
internal sealed class ProtosRun : IDisposable
{
    private readonly TempDir _root = new("protos-root");

    public string Root => _root.Path;

    public string Artifacts => Path.Combine(_root.Path, "artifacts");

    public string Console { get; private set; } = "";

    public static string Fixture(string name) => Path.Combine(TestPaths.Fixtures, "protos", name);

    public async Task<int> RunAsync(string servingDir, string outDir, string[]? keep = null, string? tensorflowDir = null,
        ProtoLayout layout = ProtoLayout.Flat, bool acceptBreaking = false, string? root = null, string? bazel = null, bool verbose = false, bool dryRun = false,
        string breaking = "WIRE", string[]? acceptRules = null, string? against = null)
    {
        var options = new BuildOptions
        {
            ServingDir = servingDir,
            TensorflowDir = tensorflowDir,
            ProtosOut = outDir,
            KeepRpcs = keep ?? ["Predict"],
            ProtoLayout = layout,
            AcceptBreaking = acceptBreaking,
            AcceptBreakingRules = acceptRules ?? [],
            Breaking = breaking,
            Against = against,
            Bazel = bazel,
            DryRun = dryRun,
            CacheDir = Path.Combine(_root.Path, "cache"),
        };
        var console = new StringWriter();
        using var log = new TaskLog(null, console, verbose);
        try
        {
            return await new ProtosStage().RunAsync(new StageContext(options, new ToolkitPaths(root ?? _root.Path), log), CancellationToken.None);
        }
        finally
        {
            Console = console.ToString();
        }
    }

    /// <summary>Copies a tree into a fresh temporary folder (tests that edit inputs never touch the fixtures).</summary>
    public static string CopyTree(string source, TempDir into, string name = "serving")
    {
        var target = into.Combine(name);
        foreach (var file in SourceFiles.Under(source))
        {
            var dest = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest);
        }

        return target;
    }

    /// <summary>sha256 of every file under dir, by relative path.</summary>
    public static IReadOnlyDictionary<string, string> Hashes(string dir) =>
        SourceFiles.Under(dir)
            .ToDictionary(f => Path.GetRelativePath(dir, f).Replace('\\', '/'), ProtosLock.Sha256);

    public static IReadOnlyList<string> Files(string dir) =>
        SourceFiles.Under(dir)
            .Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static void MakeExecutable(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public void Dispose() => _root.Dispose();
}
