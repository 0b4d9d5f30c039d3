using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using ServingBuild.Processes;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.EntryPoint;

/// <summary>
/// Signals during Verify, with the real mini model server the Bazel collection builds and the real ./build.sh and
/// ./build.ps1 (under the real pwsh): whoever gets SIGINT, SIGTERM or SIGHUP (build.sh, pwsh, Cake or the task
/// process), the run ends with the documented code and leaves no Cake, no task process, no model server and no
/// verifier; a kill -9 of the task process leaves no listening server. These need the built server, so they join
/// the Bazel collection rather than the build.sh one.
/// </summary>
[Trait("Category", "Integration")]
[Collection(BazelCollection.Name)]
public class SignalTests(MiniServerBuild mini, ITestOutputHelper output)
{
    [Theory]
    [InlineData("build.sh", "INT", ExitCodes.Interrupted)]
    [InlineData("build.sh", "TERM", ExitCodes.Terminated)]
    [InlineData("build.sh", "HUP", ExitCodes.Hangup)]
    [InlineData("Cake", "TERM", ExitCodes.Terminated)]
    [InlineData("task", "TERM", ExitCodes.Terminated)]
    [InlineData("build.ps1", "INT", ExitCodes.Interrupted)]
    [InlineData("build.ps1", "TERM", ExitCodes.Terminated)]
    [InlineData("build.ps1", "HUP", ExitCodes.Hangup)]
    public async Task A_signal_during_Verify_stops_the_server_and_the_verifier_and_exits_with_its_code(string who, string signal, int code)
    {
        Assert.True(File.Exists(mini.BinaryPath), mini.BinaryPath);
        var entry = who == "build.ps1" ? EntryPoint.PowerShell(output) : EntryPoint.Bash;
        using var run = RunningBuild.Start(output, entry, "--target=Verify");
        var children = await run.WaitForChildrenAsync(2);
        var task = ProcessIdentity.Of(children[0].OwnerPid);
        var cake = ProcessIdentity.Of(ParentOf(task.Pid));
        var target = who switch
        {
            "build.sh" => run.Process.Id,
            "build.ps1" => run.PowerShellPid(),
            "Cake" => cake.Pid,
            _ => task.Pid,
        };
        output.WriteLine($"SIG{signal} to {who} (pid {target}: {CommandLine(target)}); Cake {cake.Pid}, task {task.Pid}, children {string.Join(", ", children.Select(c => $"{c.Pid} {c.Binary}"))}");
        await Kill(signal, target);

        var exit = await run.WaitForExitAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(code, exit);
        foreach (var child in children)
        {
            Assert.False(IsRunning(child), $"{child.Binary} (pid {child.Pid}) still runs after {entry.Name} exited");
        }

        // Before build.ps1 forwarded signals, pwsh died at once and these two went on as orphans.
        Assert.False(cake.IsRunning(), $"Cake (pid {cake.Pid}) still runs after {entry.Name} exited");
        Assert.False(task.IsRunning(), $"the task process (pid {task.Pid}) still runs after {entry.Name} exited");

        // The task got the signal and said so once (pwsh without forwarding lets Verify run to its end instead).
        Assert.Single(BuildScript.Lines(run.Output), l => l == $"error: stopped by SIG{signal}; everything Verify started was stopped");
        Assert.DoesNotContain("Unhandled exception", run.Output, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?m)^\s+at \S", run.Output);
    }

    [Fact]
    public async Task A_kill_9_of_the_task_process_leaves_no_listening_server()
    {
        using var run = RunningBuild.Start(output, EntryPoint.Bash, "--target=Verify");
        var children = await run.WaitForChildrenAsync(2);
        var server = children.Single(c => c.Binary.EndsWith("tensorflow_model_server", StringComparison.Ordinal));
        var port = PortOf(server.Pid);
        output.WriteLine($"SIGKILL to the task process {server.OwnerPid}; server {server.Pid} on port {port}");
        await Kill("KILL", server.OwnerPid);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (children.Any(IsRunning) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.All(children, c => Assert.False(IsRunning(c), $"{c.Binary} (pid {c.Pid}) outlived the task process by 15 s"));
        Assert.False(Listens(port), $"something still listens on port {port}");
        await run.WaitForExitAsync(TimeSpan.FromSeconds(90));
    }

    private async Task Kill(string signal, int pid)
    {
        var result = await new ProcessRunner(Require.Log(output)).RunAsync(new ProcessSpec("kill", "-s", signal, pid.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(0, result.ExitCode);
    }

    private static bool IsRunning(ChildPidFile child)
    {
        try
        {
            // A zombie has no exe to read; a recycled pid runs something else.
            return new FileInfo($"/proc/{child.Pid}/exe").LinkTarget == child.Binary;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').TrimEnd();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static int ParentOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
    }

    private static int PortOf(int pid)
    {
        var argv = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
        return int.Parse(argv.Single(a => a.StartsWith("--port=", StringComparison.Ordinal))["--port=".Length..], CultureInfo.InvariantCulture);
    }

    private static bool Listens(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>How a user starts the toolkit: ./build.sh, or ./build.ps1 under pwsh.</summary>
    private sealed record EntryPoint(string Name, string Program, string[] Arguments)
    {
        public static EntryPoint Bash => new("build.sh", BuildScript.Path, []);

        /// <summary>pwsh from PATH, else the dotnet tool the Test task installs; missing, the test fails.</summary>
        public static EntryPoint PowerShell(ITestOutputHelper output)
        {
            var pwsh = BuildScript.PowerShell;
            output.WriteLine($"pwsh: {pwsh}");
            return new("build.ps1", pwsh, ["-NoProfile", "-File", "./build.ps1"]);
        }
    }

    /// <summary>A process by pid and start time, so that a recycled pid is not taken for it.</summary>
    private sealed record ProcessIdentity(int Pid, long Start)
    {
        public static ProcessIdentity Of(int pid) => new(pid, StartTimeOf(pid) ?? throw new InvalidOperationException($"pid {pid} is gone"));

        public bool IsRunning() => StartTimeOf(Pid) == Start && !IsZombie(Pid);

        private static long? StartTimeOf(int pid) => Stat(pid) is { } fields ? long.Parse(fields[19], CultureInfo.InvariantCulture) : null;

        private static bool IsZombie(int pid) => Stat(pid) is { } fields && fields[0] == "Z";

        /// <summary>The fields of /proc/&lt;pid&gt;/stat after the command name, from the state on.</summary>
        private static string[]? Stat(int pid)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    /// <summary>The entry point started as a plain process, so that the test can signal it and the processes under it.</summary>
    private sealed class RunningBuild : IDisposable
    {
        private readonly System.Text.StringBuilder _output = new();
        private readonly HashSet<string> _before;
        private readonly ITestOutputHelper _log;
        private readonly EntryPoint _entry;

        private RunningBuild(Process process, HashSet<string> before, ITestOutputHelper log, EntryPoint entry)
        {
            Process = process;
            _before = before;
            _log = log;
            _entry = entry;
        }

        public Process Process { get; }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        private static string Folder => TestPaths.Toolkit.ChildPids;

        public static RunningBuild Start(ITestOutputHelper log, EntryPoint entry, params string[] args)
        {
            var before = Directory.Exists(Folder) ? Directory.EnumerateFiles(Folder).ToHashSet() : [];
            var start = new ProcessStartInfo(entry.Program)
            {
                WorkingDirectory = TestPaths.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["NO_COLOR"] = "1";
            foreach (var arg in entry.Arguments.Concat(args))
            {
                start.ArgumentList.Add(arg);
            }

            var run = new RunningBuild(Process.Start(start)!, before, log, entry);
            run.Process.OutputDataReceived += (_, e) => run.Append(e.Data);
            run.Process.ErrorDataReceived += (_, e) => run.Append(e.Data);
            run.Process.BeginOutputReadLine();
            run.Process.BeginErrorReadLine();
            return run;
        }

        /// <summary>Waits until this run's Verify has started <paramref name="count"/> recorded children (server, verifier).</summary>
        public async Task<IReadOnlyList<ChildPidFile>> WaitForChildrenAsync(int count)
        {
            // The first run may build the stubs (a few minutes on a busy 2-core host).
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(8);
            while (DateTime.UtcNow < deadline)
            {
                Assert.False(Process.HasExited, $"{_entry.Name} ended before Verify started its children:\n" + Output);
                var files = Directory.Exists(Folder) ? Directory.EnumerateFiles(Folder, "*.pid").Where(f => !_before.Contains(f)).ToList() : [];
                var records = files.Select(ChildPidFile.Read).OfType<ChildPidFile>().Where(r => r.OwnerPid > 0).ToList();
                if (records.Count >= count)
                {
                    return records;
                }

                await Task.Delay(50);
            }

            throw new TimeoutException("Verify did not start its children within 8 minutes:\n" + Output);
        }

        public async Task<int> WaitForExitAsync(TimeSpan limit)
        {
            using var timeout = new CancellationTokenSource(limit);
            await Process.WaitForExitAsync(timeout.Token);
            _log.WriteLine(Output);
            _log.WriteLine($"{_entry.Name} exit {Process.ExitCode}");
            return Process.ExitCode;
        }

        /// <summary>
        /// The process running build.ps1: the one started, or, when pwsh is the PowerShell dotnet tool, the child
        /// its launcher starts (`dotnet .../pwsh.dll`), which is where the script and its signal handling live.
        /// </summary>
        public int PowerShellPid()
        {
            var pid = Process.Id;
            while (ChildrenOf(pid).FirstOrDefault(c => CommandLine(c).Contains("build.ps1", StringComparison.Ordinal)) is var child && child != 0)
            {
                pid = child;
            }

            return pid;
        }

        private static IEnumerable<int> ChildrenOf(int pid)
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                string text;
                try
                {
                    text = File.ReadAllText(Path.Combine(task, "children"));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    continue;
                }

                foreach (var child in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    yield return int.Parse(child, CultureInfo.InvariantCulture);
                }
            }
        }


        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            Process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }
    }
}
