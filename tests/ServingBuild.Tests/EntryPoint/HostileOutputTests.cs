using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using ServingBuild.Files;
using ServingBuild.Processes;
using ServingBuild.Protos;
using ServingBuild.Tests.Protos;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.EntryPoint;

/// <summary>
/// Hostile and careless output locations, through ./build.sh as a user runs it: each case asserts the documented
/// exit code, exactly one error line from the toolkit, no stack trace, and that nothing around the intended output
/// changed (every entry of a sandbox holding a user's files, links, a FIFO and mounts is hashed before and after).
/// </summary>
[Trait("Category", "Integration")]
[Collection(EntryPointCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed partial class HostileOutputTests(ITestOutputHelper output)
{
    /// <summary>One row: the task and options (built from the sandbox), the exit code, what the error line names, and the one path allowed to change.</summary>
    public sealed record HostileCase(string Target, Func<Sandbox, Task<string[]>> Options, int Exit, string? Says, string? Output = null);

    private static readonly Dictionary<string, HostileCase> Table = new(StringComparer.Ordinal)
    {
        // --protos-out: only a missing, empty or toolkit-written folder is replaced.
        ["protos-out holds a user's proto and a subfolder"] = new("Protos", s => Args($"--protos-out={s.Path("user")}"), ExitCodes.Usage, "holds mine.proto and no protos.lock.json"),
        ["protos-out holds a user's file only in a subfolder"] = new("Protos", s => Args($"--protos-out={s.Path("nested")}"), ExitCodes.Usage, "holds deep and no protos.lock.json"),
        ["protos-out is a regular file"] = new("Protos", s => Args($"--protos-out={s.Path("plain.txt")}"), ExitCodes.Usage, "is a file, not a folder"),
        ["protos-out is /"] = new("Protos", _ => Args("--protos-out=/"), ExitCodes.Usage, "is the root folder"),
        ["protos-out is a link to a user's folder"] = new("Protos", s => Args($"--protos-out={s.Path("link-to-user")}"), ExitCodes.Usage, "is a symbolic link"),
        ["protos-out is a FIFO"] = new("Protos", s => Args($"--protos-out={s.Path("pipe")}"), ExitCodes.Usage, "is a FIFO"),
        ["protos-out is below a regular file"] = new("Protos", s => Args($"--protos-out={s.Path("plain.txt", "protos")}"), ExitCodes.Usage, "plain.txt is a file, not a folder"),
        ["protos-out is below a FIFO"] = new("Protos", s => Args($"--protos-out={s.Path("pipe", "protos")}"), ExitCodes.Usage, "pipe is a FIFO"),
        ["protos-out is in a read-only mount"] = new("Protos", s => Args($"--protos-out={s.Path("ro", "protos")}"), ExitCodes.Usage, "Read-only file system"),
        ["protos-out is an empty folder in a read-only mount"] = new("Protos", s => Args($"--protos-out={s.Path("ro", "inner")}"), ExitCodes.Usage, "Read-only file system"),
        ["protos-out is a read-only mount point"] = new("Protos", s => Args($"--protos-out={s.Path("ro")}"), ExitCodes.Usage, "is a mount point"),
        ["protos-out is a writable mount point"] = new("Protos", s => Args($"--protos-out={s.Path("rw")}"), ExitCodes.Usage, "is a mount point"),
        ["protos-out was written by the toolkit, then a user added a file"] = new("Protos", async s =>
        {
            await s.PreviousProtosAsync("ours");
            File.WriteAllText(s.Path("ours", "notes.txt"), "mine");
            return [$"--protos-out={s.Path("ours")}"];
        }, ExitCodes.Usage, "holds notes.txt, which its protos.lock.json does not list"),
        ["protos-out was written by the toolkit, then its lock became a link"] = new("Protos", async s =>
        {
            await s.PreviousProtosAsync("ours");
            var lockPath = s.Path("ours", ProtosLock.FileName);
            File.Move(lockPath, s.Path("lock-elsewhere.json"));
            File.CreateSymbolicLink(lockPath, s.Path("lock-elsewhere.json"));
            return [$"--protos-out={s.Path("ours")}"];
        }, ExitCodes.Usage, "no protos.lock.json"),
        ["protos lock with corrupt descriptors while the inputs changed"] = new("Protos", async s =>
        {
            var serving = await s.PreviousProtosAsync("ours");
            var lockPath = s.Path("ours", ProtosLock.FileName);
            File.WriteAllText(lockPath, Regex.Replace(File.ReadAllText(lockPath), "\"descriptors\": \"[^\"]*\"", "\"descriptors\": \"%%not base64%%\""));
            File.AppendAllText(Path.Combine(serving, "tensorflow_serving", "apis", "predict.proto"), "\n// edited upstream\n");
            return [$"--protos-out={s.Path("ours")}", $"--serving-dir={serving}"];
        }, ExitCodes.StageFailed, "\"descriptors\" field is damaged"),
        ["protos-out is the toolkit's own earlier output"] = new("Protos", async s =>
        {
            var serving = await s.PreviousProtosAsync("ours", keep: "Predict,Classify");
            return [$"--protos-out={s.Path("ours")}", $"--serving-dir={serving}"];
        }, ExitCodes.Ok, null, Output: "ours"),
        ["dry run with a protos-out whose parents are missing creates nothing"] = new("Protos", s => Args($"--protos-out={s.Path("new", "deeper", "protos")}", "--dry-run"), ExitCodes.Ok, null),

        // --emit-script: a regular file or nothing; never a device, FIFO, folder or link.
        ["emit-script is /dev/full"] = new("Provision", _ => Args("--emit-script=/dev/full"), ExitCodes.Usage, "/dev/full is a character device"),
        ["emit-script is /dev/null"] = new("Provision", _ => Args("--emit-script=/dev/null"), ExitCodes.Usage, "/dev/null is a character device"),
        ["emit-script is a folder"] = new("Provision", s => Args($"--emit-script={s.Path("user")}"), ExitCodes.Usage, "is a folder"),
        ["emit-script is a FIFO"] = new("Provision", s => Args($"--emit-script={s.Path("pipe")}"), ExitCodes.Usage, "is a FIFO"),
        ["emit-script is a link to a user's file"] = new("Provision", s => Args($"--emit-script={s.Path("link-to-file")}"), ExitCodes.Usage, "is a symbolic link"),
        ["emit-script is in a read-only mount"] = new("Provision", s => Args($"--emit-script={s.Path("ro", "provision.sh")}"), ExitCodes.Usage, "Read-only file system"),
        ["emit-script is below a regular file"] = new("Provision", s => Args($"--emit-script={s.Path("plain.txt", "provision.sh")}"), ExitCodes.Usage, "does not exist"),
        ["emit-script replaces a user's regular file as asked"] = new("Provision", s => Args($"--emit-script={s.Path("old-script.sh")}"), ExitCodes.Ok, null, Output: "old-script.sh"),

        // Other places the toolkit writes or reads.
        ["cache-dir is below a regular file"] = new("Protos", s => Args($"--cache-dir={s.Path("plain.txt", "cache")}", $"--protos-out={s.Path("fresh")}"), ExitCodes.Usage, "plain.txt is a file, not a folder"),
        ["cache-dir is below a FIFO"] = new("Doctor", s => Args($"--cache-dir={s.Path("pipe", "cache")}"), ExitCodes.Usage, "pipe is a FIFO"),
        ["bazel is a file without the execute bit"] = new("BazelBuild", s => Args($"--bazel={s.Path("plain.txt")}"), ExitCodes.Usage, "is not executable"),
    };

    public static TheoryData<string> Cases => new(Table.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Hostile_output_location_is_refused_in_one_line_and_nothing_around_it_changes(string name)
    {
        Assert.True(Require.IsRoot, "this test mounts read-only file systems and must run as root (./build.sh --target=Test does)");
        var row = Table[name];
        using var sandbox = new Sandbox();
        var options = await row.Options(sandbox);
        var before = sandbox.Snapshot(row.Output);
        var devBefore = DevTemporaries();

        var result = await BuildSh(output, [$"--target={row.Target}", .. options]);

        AssertOneLineOutcome(result, row.Exit, row.Says);
        Assert.Equal(before, sandbox.Snapshot(row.Output));
        Assert.Equal(devBefore, DevTemporaries());
        Assert.Equal("a character device", AtomicFile.Describe("/dev/full"));
        Assert.Equal("a character device", AtomicFile.Describe("/dev/null"));
        if (row.Output is { } written)
        {
            // The intended output is what the toolkit writes: a checked protos folder, or a regular script file.
            var path = sandbox.Path(written);
            if (Directory.Exists(path))
            {
                Assert.Empty(ProtosLock.ReadVerified(path).Verify(path));
            }
            else
            {
                Assert.Null(AtomicFile.Describe(path));
                Assert.StartsWith("#!", File.ReadAllText(path), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void The_table_has_at_least_twenty_rows() => Assert.True(Table.Count >= 20, $"{Table.Count} rows");

    [Fact]
    public async Task A_protos_run_killed_with_SIGKILL_leaves_temporaries_the_next_run_removes()
    {
        using var sandbox = new Sandbox();
        var outDir = sandbox.Path("killed");
        // Through build.sh once, so the entry point is built; then the task process itself, to know whom to kill.
        AssertOneLineOutcome(await BuildSh(output, ["--target=Protos", $"--protos-out={outDir}", "--dry-run"]), ExitCodes.Ok, null);
        var cli = Path.Combine(TestPaths.Root, "artifacts", "dotnet", "bin", "ServingBuild.Cli", "release", "ServingBuild.Cli.dll");
        var leftovers = new List<string>();
        for (var attempt = 0; attempt < 15 && leftovers.Count == 0; attempt++)
        {
            var keep = attempt % 2 == 0 ? "Predict" : "Predict,Classify";
            using var process = Process.Start(new ProcessStartInfo("dotnet", [cli, "Protos", $"--protos-out={outDir}", $"--keep-rpc={keep}"])
            {
                WorkingDirectory = TestPaths.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var prefix = $"{AtomicFile.TemporaryPrefix}{process.Id}-";
            var clock = Stopwatch.StartNew();
            while (!process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                if (Directory.EnumerateFileSystemEntries(sandbox.Root).Any(e => Path.GetFileName(e).StartsWith(prefix, StringComparison.Ordinal)))
                {
                    process.Kill(); // SIGKILL: no handler runs, nothing is cleaned up
                    process.WaitForExit();
                    leftovers.AddRange(Directory.EnumerateFileSystemEntries(sandbox.Root).Select(Path.GetFileName).OfType<string>().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)));
                    break;
                }

                Thread.Sleep(1);
            }

            process.WaitForExit();
        }

        output.WriteLine($"left by the killed run: {string.Join(", ", leftovers)}");
        Assert.NotEmpty(leftovers);

        var next = await BuildSh(output, ["--target=Protos", $"--protos-out={outDir}"]);

        AssertOneLineOutcome(next, ExitCodes.Ok, null);
        Assert.Empty(Directory.EnumerateFileSystemEntries(sandbox.Root, AtomicFile.TemporaryPrefix + "*"));
        Assert.Empty(ProtosLock.ReadVerified(outDir).Verify(outDir));
    }

    [Fact]
    public async Task Two_protos_runs_into_one_folder_at_once_end_consistent_twenty_times()
    {
        using var sandbox = new Sandbox();
        var outDir = sandbox.Path("shared");
        var outcomes = new List<string>();
        for (var round = 0; round < 20; round++)
        {
            // Different kept RPCs, so each run really rewrites the folder the other one is writing.
            var runs = await Task.WhenAll(
                BuildSh(output, ["--target=Protos", $"--protos-out={outDir}", "--keep-rpc=Predict"]),
                BuildSh(output, ["--target=Protos", $"--protos-out={outDir}", "--keep-rpc=Predict,Classify"]));
            foreach (var run in runs)
            {
                AssertNoStackTrace(run);
                if (run.ExitCode != ExitCodes.Ok)
                {
                    Assert.Single(ToolkitErrorLines(run));
                }
            }

            outcomes.Add(string.Join("/", runs.Select(r => r.ExitCode)));
            Assert.Empty(ProtosLock.ReadVerified(outDir).Verify(outDir));
            Assert.Empty(Directory.EnumerateFileSystemEntries(sandbox.Root, AtomicFile.TemporaryPrefix + "*"));
        }

        output.WriteLine("exit codes per round: " + string.Join(" ", outcomes));
    }

    internal static async Task<ProcessResult> BuildSh(ITestOutputHelper output, string[] args)
    {
        var runner = new ProcessRunner(Require.Log(output));
        var result = await runner.RunAsync(new ProcessSpec(Path.Combine(TestPaths.Root, "build.sh"), args)
        {
            WorkingDirectory = TestPaths.Root,
            Timeout = TimeSpan.FromMinutes(5),
            Environment = new Dictionary<string, string?> { ["NO_COLOR"] = "1" },
        });
        output.WriteLine($"exit {result.ExitCode}: build.sh {string.Join(' ', args)}");
        return result;
    }

    /// <summary>The toolkit's own error lines; Cake's closing "error: Task failed (exit code N)" repeats the code, not the cause.</summary>
    private static List<string> ToolkitErrorLines(ProcessResult result) =>
        (result.StandardOutput + "\n" + result.StandardError).Split('\n')
            .Select(l => l.TrimEnd('\r'))
            .Where(l => l.StartsWith("error:", StringComparison.Ordinal) && !CakeTrailer().IsMatch(l))
            .ToList();

    private static void AssertNoStackTrace(ProcessResult result)
    {
        var all = result.StandardOutput + "\n" + result.StandardError;
        Assert.DoesNotMatch(StackFrame(), all);
        Assert.DoesNotContain("Unhandled exception", all, StringComparison.Ordinal);
    }

    private static void AssertOneLineOutcome(ProcessResult result, int exit, string? says)
    {
        AssertNoStackTrace(result);
        Assert.Equal(exit, result.ExitCode);
        var errors = ToolkitErrorLines(result);
        if (exit == ExitCodes.Ok)
        {
            Assert.Empty(errors);
            return;
        }

        var line = Assert.Single(errors);
        if (says is not null)
        {
            Assert.Contains(says, line, StringComparison.Ordinal);
        }
    }

    private static string[] DevTemporaries() =>
        Directory.EnumerateFileSystemEntries("/dev", AtomicFile.TemporaryPrefix + "*").Order(StringComparer.Ordinal).ToArray();

    private static Task<string[]> Args(params string[] args) => Task.FromResult(args);

    [GeneratedRegex(@"^\s+at \S+\(.*\)", RegexOptions.Multiline)]
    private static partial Regex StackFrame();

    [GeneratedRegex(@"^error: \w+ failed \(exit code \d+\)")]
    private static partial Regex CakeTrailer();

    /// <summary>
    /// A user's surroundings: files, a nested user file, links to a folder and a file, a FIFO, a read-only tmpfs
    /// (with an empty folder inside) and a writable tmpfs mount point. Unmounted and removed on dispose.
    /// </summary>
    public sealed class Sandbox : IDisposable
    {
        private readonly TempDir _dir = new("servingbuild-hostile");
        private readonly List<string> _mounts = [];
        private readonly ProtosRun _protos = new();

        public Sandbox()
        {
            _dir.Write("user/mine.proto", "syntax = \"proto3\";\n");
            Directory.CreateDirectory(Path("user", "sub"));
            _dir.Write("nested/deep/notes.txt", "a user's notes\n");
            _dir.Write("plain.txt", "a user's file\n");
            _dir.Write("old-script.sh", "#!/bin/sh\necho a user's old script\n");
            File.CreateSymbolicLink(Path("link-to-user"), Path("user"));
            File.CreateSymbolicLink(Path("link-to-file"), Path("plain.txt"));
            Assert.Equal(0, MakeFifo(Path("pipe"), 0x1A4));
            Mount("ro", readOnly: true, inside: "inner");
            Mount("rw", readOnly: false, inside: null);
        }

        public string Root => _dir.Path;

        public string Path(params string[] parts) => _dir.Combine(parts);

        /// <summary>A Protos run of a private copy of the bundled workspace into Path(name), as an earlier run would have left it; returns the copy.</summary>
        public async Task<string> PreviousProtosAsync(string name, string keep = "Predict")
        {
            var serving = Directory.Exists(Path("serving")) ? Path("serving") : ProtosRun.CopyTree(TestPaths.ServingMini, _dir);
            Assert.Equal(0, await _protos.RunAsync(serving, Path(name), keep.Split(',')));
            return serving;
        }

        /// <summary>Every entry's kind, mode and content hash (links: their target), without following links; one path may be left out.</summary>
        public IReadOnlyDictionary<string, string> Snapshot(string? except)
        {
            var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
            void Walk(string dir)
            {
                foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
                {
                    var rel = System.IO.Path.GetRelativePath(Root, entry);
                    if (except is not null && (rel == except || rel.StartsWith(except + "/", StringComparison.Ordinal)))
                    {
                        continue;
                    }

                    var kind = AtomicFile.Describe(entry) ?? "file";
                    var info = new FileInfo(entry);
                    map[rel] = kind switch
                    {
                        "file" => $"file {info.UnixFileMode} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry)))}",
                        "a symbolic link" => "link " + info.LinkTarget,
                        _ => $"{kind} {info.UnixFileMode}",
                    };
                    if (kind == "a folder")
                    {
                        Walk(entry);
                    }
                }
            }

            Walk(Root);
            return map;
        }

        public void Dispose()
        {
            _protos.Dispose();
            foreach (var mount in Enumerable.Reverse(_mounts))
            {
                Run("umount", mount);
            }

            _dir.Dispose();
        }

        private void Mount(string name, bool readOnly, string? inside)
        {
            var at = Path(name);
            Directory.CreateDirectory(at);
            Run("mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", at);
            _mounts.Add(at);
            if (inside is not null)
            {
                Directory.CreateDirectory(System.IO.Path.Combine(at, inside));
            }

            if (readOnly)
            {
                Run("mount", "-o", "remount,ro", at);
            }
        }

        private static void Run(string program, params string[] args)
        {
            using var p = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true })!;
            var error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"{program} {string.Join(' ', args)} failed: {error}");
        }

        [DllImport("libc", EntryPoint = "mkfifo")]
        private static extern int MakeFifo(string path, uint mode);
    }
}
