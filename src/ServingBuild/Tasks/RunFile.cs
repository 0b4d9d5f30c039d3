using System.Text.Json;
using ServingBuild.Files;
using ServingBuild.Options;

namespace ServingBuild.Tasks;

/// <summary>
/// One run of ./build.sh, as `ServingBuild.Cli.dll prepare` validated it: the options (parsed once), the task
/// registry build/build.cake builds its graph from, and the target. Every task process of the run reads its
/// options from here (`ServingBuild.Cli.dll &lt;Task&gt; --run=FILE`) instead of parsing a command line again.
/// Written with mode 0600 under artifacts/run/&lt;build.sh's pid&gt;/ and removed when the run ends.
/// </summary>
public sealed record RunFile
{
    public const string FileName = "run.json";

    /// <summary>Cake's arguments for build.sh: NUL-separated, so no value needs quoting.</summary>
    public const string CakeArgumentsFileName = "cake.args";

    public required string Target { get; init; }

    public required IReadOnlyList<RunTask> Tasks { get; init; }

    public required BuildOptions Options { get; init; }

    /// <param name="environment">Default: the process's; credentials that came from <see cref="RemoteCacheUserInfo.Variable"/> stay out of the file.</param>
    public static RunFile For(EntryArguments arguments, IReadOnlyDictionary<string, string?>? environment = null) => new()
    {
        Target = arguments.Target,
        Tasks = StageCatalog.Tasks.Select(t => new RunTask(t.Name, t.Description, t.DependsOn, t.Runs)).ToArray(),
        Options = arguments.Options with { RemoteCache = RemoteCacheUserInfo.Detach(arguments.Options.RemoteCache, environment ?? RemoteCacheUserInfo.ProcessEnvironment()) },
    };

    /// <summary>Writes run.json and cake.args into <paramref name="folder"/>, both readable by the owner only.</summary>
    public void WriteTo(string folder, IReadOnlyList<string> cakeArguments)
    {
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        AtomicFile.EnsureFolder(folder);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, ownerOnly | UnixFileMode.UserExecute);
        }

        AtomicFile.WriteAllBytes(Path.Combine(folder, FileName), RunFileJson.Write(this), ownerOnly);
        AtomicFile.WriteAllText(Path.Combine(folder, CakeArgumentsFileName), string.Concat(cakeArguments.Select(a => a + "\0")), ownerOnly);
    }

    /// <summary>The run file, with --remote-cache's credentials put back from <see cref="RemoteCacheUserInfo.Variable"/> (the task inherits it).</summary>
    public static RunFile Read(string path, IReadOnlyDictionary<string, string?>? environment = null)
    {
        RunFile run;
        try
        {
            run = RunFileJson.Read(File.ReadAllBytes(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or NotSupportedException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new ToolkitException(
                $"cannot read the run file {path} ({ex.GetType().Name}: {ex.Message}); start tasks through ./build.sh, or pass options directly: ServingBuild.Cli.dll <Task> --option=value",
                ExitCodes.Usage);
        }

        return run with { Options = run.Options with { RemoteCache = RemoteCacheUserInfo.Attach(run.Options.RemoteCache, environment ?? RemoteCacheUserInfo.ProcessEnvironment()) } };
    }

    /// <summary>
    /// Removes run folders (artifacts/run/&lt;pid&gt;) whose build.sh no longer runs: a run killed with -9 leaves its
    /// folder, and with it options that may name credentials.
    /// </summary>
    public static void RemoveStale(string runs)
    {
        if (!Directory.Exists(runs))
        {
            return;
        }

        foreach (var dir in Directory.EnumerateDirectories(runs))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && !Directory.Exists($"/proc/{pid}") && new DirectoryInfo(dir).LinkTarget is null)
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Another run removes it at the same time, or it is not ours to remove: leave it.
                }
            }
        }
    }
}
