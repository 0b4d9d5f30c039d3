using ServingBuild.HostScripts;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.HostScripts;

/// <summary>
/// A copy of the toolkit as a CentOS 7 host would hold it (build.sh, global.json, the committed host script and the
/// bundled workspace) in a temporary folder, and a `getconf` earlier on PATH that answers `glibc 2.17`, so build.sh's
/// own glibc check sends every run down the host path. Its artifacts/ is private to the test.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HostPathToolkit : IDisposable
{
    private readonly TempDir _dir = new("sb-hostpath");

    public HostPathToolkit()
    {
        Root = _dir.Combine("toolkit");
        Directory.CreateDirectory(Path.Combine(Root, "scripts", "host"));
        foreach (var file in new[] { "build.sh", "global.json", HostScript.RelativePath })
        {
            File.Copy(Path.Combine(TestPaths.Root, file), Path.Combine(Root, file));
        }

        File.SetUnixFileMode(Path.Combine(Root, "build.sh"), (UnixFileMode)0b111_101_101);
        CopyTree(TestPaths.ServingMini, Paths.BundledServingDir);
        FakeBin = _dir.Combine("fakebin");
        _dir.Write("fakebin/getconf", "#!/bin/sh\nif [ \"$1\" = GNU_LIBC_VERSION ]; then echo \"glibc 2.17\"; else exec /usr/bin/getconf \"$@\"; fi\n");
        File.SetUnixFileMode(Path.Combine(FakeBin, "getconf"), (UnixFileMode)0b111_101_101);
    }

    public string Root { get; }

    public ToolkitPaths Paths => new(Root);

    /// <summary>Holds the `getconf` stand-in; put it first on PATH.</summary>
    public string FakeBin { get; }

    public string Temp(string name)
    {
        var path = _dir.Combine(name);
        Directory.CreateDirectory(path);
        return path;
    }

    public string Write(string relative, string content) => _dir.Write(relative, content);

    public string HostPath(params string[] before) =>
        string.Join(':', [.. before, FakeBin, Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin"]);

    /// <summary>./build.sh with the given arguments, as a CentOS 7 host runs it.</summary>
    public async Task<ProcessResult> BuildShAsync(ITestOutputHelper output, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var env = new Dictionary<string, string?> { ["PATH"] = HostPath(), ["NO_COLOR"] = "1" };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            env[key] = value;
        }

        var runner = new ProcessRunner(TaskLog.Null);
        var result = await runner.RunAsync(new ProcessSpec(Path.Combine(Root, "build.sh"), args)
        {
            WorkingDirectory = Root,
            Environment = env,
            Timeout = TimeSpan.FromMinutes(30),
        });
        output.WriteLine($"$ build.sh {string.Join(' ', args)} -> exit {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}");
        return result;
    }

    /// <summary>The console lines of a run, without Bazel's own (indented) output and timings.</summary>
    public static IReadOnlyList<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();

    public static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null)
            {
                continue;
            }

            var target = Path.Combine(to, entry.Name);
            if (entry is DirectoryInfo)
            {
                CopyTree(entry.FullName, target);
            }
            else
            {
                File.Copy(entry.FullName, target);
            }
        }
    }

    /// <summary>Where the test build put the toolkit's entry point (ServingBuild.Cli.dll), for running the C# path as a process.</summary>
    public static string CliDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Name;
            var dll = Path.Combine(TestPaths.Root, "artifacts", "dotnet", "bin", "ServingBuild.Cli", configuration, "ServingBuild.Cli.dll");
            Assert.True(File.Exists(dll), $"{dll} is missing; the test project builds it (ProjectReference)");
            return dll;
        }
    }

    public void Dispose() => _dir.Dispose();
}
