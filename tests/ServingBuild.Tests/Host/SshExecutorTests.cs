using System.Diagnostics;
using ServingBuild.Host;
using ServingBuild.Provision;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Host;

/// <summary>The Ssh executor through the system's ssh client against a real sshd on 127.0.0.1.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Trait("Category", "Integration")]
public sealed class SshExecutorTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Detects_the_remote_OS_and_runs_the_Debian_plans_checks_over_one_connection()
    {
        var runner = new ProcessRunner(Require.Log(output));
        await using var sshd = await LoopbackSshd.StartAsync(runner);
        var executor = new SshExecutor(runner, "root@127.0.0.1", sshd.ClientOptions());
        await using (executor)
        {
            var facts = await HostProbe.GatherAsync(executor, CancellationToken.None);
            var osId = File.ReadAllLines("/etc/os-release").First(l => l.StartsWith("ID=", StringComparison.Ordinal))[3..].Trim('"');
            Assert.Equal(osId, facts.OsId);
            Assert.Equal(0, facts.UserId);
            Assert.Equal(Elevation.AlreadyRoot, executor.Elevation);
            Assert.Equal("root@127.0.0.1", executor.Where);

            var plan = ProvisionPlanner.For(facts, new PlanInputs { Profile = PlanProfile.Tests });
            var checks = await new PlanRunner(executor, Require.Log(output)).CheckAsync(plan, CancellationToken.None);
            Assert.All(checks, c => Assert.Equal(StepStatus.Satisfied, c.Status));

            // A full run over ssh: everything is installed here, so every step is skipped.
            var console = new StringWriter();
            using var log = new TaskLog(null, console);
            var run = await ProvisionStage.ProvisionAsync(log, executor, facts, plan, dryRun: false, CancellationToken.None);
            Assert.All(run, o => Assert.Equal(StepStatus.Satisfied, o.Status));
            Assert.Contains("host: root@127.0.0.1:", console.ToString(), StringComparison.Ordinal);

            var missing = DebianPlan.Apt("missing", ["servingbuild-no-such-package"], "test");
            Assert.Equal([StepStatus.Missing], (await new PlanRunner(executor, Require.Log(output)).CheckAsync(new ProvisionPlan("t", [missing]) { OsId = "debian", OsVersionPrefix = "" }, CancellationToken.None)).Select(c => c.Status));

            // Doctor over the same connection describes the remote host.
            var context = new StageContext(ServingBuild.Options.OptionsParser.Parse([], TestPaths.Toolkit), TestPaths.Toolkit, Require.Log(output));
            var report = await ServingBuild.Doctor.DoctorStage.ExamineAsync(context, executor, CancellationToken.None);
            Assert.Equal("root@127.0.0.1", Assert.Single(report.Rows, r => r.Item == "host").Detail);
            Assert.Equal("present", Assert.Single(report.Rows, r => r.Item == "bundled-prerequisites").Status);

            // One connection carried all of that: the control socket exists and sshd has a single session child.
            Assert.True(File.Exists(executor.ControlPath), "no ControlMaster socket at " + executor.ControlPath);
            var children = await runner.RunAsync(new ProcessSpec("pgrep", "-P", sshd.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Single(children.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }

        Assert.False(File.Exists(executor.ControlPath), "the control socket outlived the executor");
    }

    [Fact]
    public async Task Streams_remote_output_as_it_comes_and_keeps_the_exit_code()
    {
        var runner = new ProcessRunner(Require.Log(output));
        await using var sshd = await LoopbackSshd.StartAsync(runner);
        await using var executor = new SshExecutor(runner, "root@127.0.0.1", sshd.ClientOptions());
        await executor.ConnectAsync(CancellationToken.None);
        await HostProbe.GatherAsync(executor, CancellationToken.None); // sets how root is reached: already root

        var clock = Stopwatch.StartNew();
        var seen = new List<(string Line, TimeSpan At)>();
        var result = await executor.RunAsync("echo first; sleep 2; echo second >&2; exit 7", asRoot: false, line => { lock (seen) { seen.Add((line, clock.Elapsed)); } }, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(7, result.ExitCode);
        Assert.Equal(["first", "second"], seen.Select(s => s.Line));
        Assert.True(seen[1].At - seen[0].At > TimeSpan.FromSeconds(1.5), $"'first' came at {seen[0].At}, 'second' at {seen[1].At}: the output was not streamed");

        Assert.Equal(0, (await executor.RunAsync("true", false, null, null, CancellationToken.None)).ExitCode);
        Assert.Equal(42, (await executor.RunAsync("exit 42", true, null, null, CancellationToken.None)).ExitCode);
        var quoted = await executor.RunAsync("printf '%s|' \"it's\" 'a $HOME' \"x  y\"", false, null, null, CancellationToken.None);
        Assert.Equal("it's|a $HOME|x  y|", quoted.StandardOutput.Trim());
    }

    [Fact]
    public async Task A_key_the_host_does_not_accept_fails_with_one_line_naming_the_host()
    {
        var runner = new ProcessRunner(Require.Log(output));
        await using var sshd = await LoopbackSshd.StartAsync(runner);
        var otherKey = Path.Combine(Path.GetDirectoryName(sshd.UserKey)!, "other_ed25519");
        await using var executor = new SshExecutor(runner, "root@127.0.0.1", sshd.ClientOptions(otherKey));

        var ex = await Assert.ThrowsAsync<SshConnectionException>(() => HostProbe.GatherAsync(executor, CancellationToken.None));
        output.WriteLine(ex.Message);
        Assert.Equal(ExitCodes.Prerequisite, ex.ExitCode);
        Assert.StartsWith("cannot connect to build host root@127.0.0.1 over ssh: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Permission denied", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }
}
