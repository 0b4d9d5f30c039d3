using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using ServingBuild.Processes;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.EntryPoint;

/// <summary>
/// Signals during Verify, with the real mini model server the Bazel collection builds and the real ./build.sh:
/// whoever gets SIGINT, SIGTERM or SIGHUP (build.sh, Cake or the task process), the run ends with the documented
/// code and leaves no model server and no verifier; a kill -9 of the task process leaves no listening server.
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
    public async Task A_signal_during_Verify_stops_the_server_and_the_verifier_and_exits_with_its_code(string who, string signal, int code)
    {
        Assert.True(File.Exists(mini.BinaryPath), mini.BinaryPath);
        using var run = RunningBuild.Start(output, "--target=Verify");
        var children = await run.WaitForChildrenAsync(2);
        var target = who switch
        {
            "build.sh" => run.Process.Id,
            "Cake" => ParentOf(children[0].OwnerPid),
            _ => children[0].OwnerPid,
        };
        output.WriteLine($"SIG{signal} to {who} (pid {target}); children {string.Join(", ", children.Select(c => $"{c.Pid} {c.Binary}"))}");
        await Kill(signal, target);

        var exit = await run.WaitForExitAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(code, exit);
        foreach (var child in children)
        {
            Assert.False(IsRunning(child), $"{child.Binary} (pid {child.Pid}) still runs after build.sh exited");
        }

        Assert.DoesNotContain("Unhandled exception", run.Output, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?m)^\s+at \S", run.Output);
    }

    [Fact]
    public async Task A_kill_9_of_the_task_process_leaves_no_listening_server()
    {
        using var run = RunningBuild.Start(output, "--target=Verify");
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

    /// <summary>./build.sh started as a plain process, so that the test can signal it and the processes under it.</summary>
    private sealed class RunningBuild : IDisposable
    {
        private readonly System.Text.StringBuilder _output = new();
        private readonly HashSet<string> _before;
        private readonly ITestOutputHelper _log;

        private RunningBuild(Process process, HashSet<string> before, ITestOutputHelper log)
        {
            Process = process;
            _before = before;
            _log = log;
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

        public static RunningBuild Start(ITestOutputHelper log, params string[] args)
        {
            var before = Directory.Exists(Folder) ? Directory.EnumerateFiles(Folder).ToHashSet() : [];
            var start = new ProcessStartInfo(BuildScript.Path)
            {
                WorkingDirectory = TestPaths.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["NO_COLOR"] = "1";
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            var run = new RunningBuild(Process.Start(start)!, before, log);
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
                Assert.False(Process.HasExited, "build.sh ended before Verify started its children:\n" + Output);
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
            _log.WriteLine($"build.sh exit {Process.ExitCode}");
            return Process.ExitCode;
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
