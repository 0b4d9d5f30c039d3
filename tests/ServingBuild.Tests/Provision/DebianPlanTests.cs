using ServingBuild.Host;
using ServingBuild.Options;
using ServingBuild.Provision;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Provision;

/// <summary>The Debian plan, run for real on this machine: it is what the Test task runs before the tests.</summary>
[Trait("Category", "Integration")]
public class DebianPlanTests(ITestOutputHelper output)
{
    [Fact]
    public void Each_profile_installs_only_what_its_workspace_needs()
    {
        var bundled = DebianPlan.Create(new PlanInputs { Profile = PlanProfile.Bundled, WantedBazel = "7.4.1" }, "Debian");
        Assert.Equal(["bundled-prerequisites"], bundled.Steps.Select(s => s.Id));
        Assert.DoesNotContain(bundled.Steps, s => s.Action.Contains("openssh-server", StringComparison.Ordinal) || s.Action.Contains("nginx", StringComparison.Ordinal));
        Assert.Contains("bazel-bootstrap", bundled.Steps[0].Action, StringComparison.Ordinal);

        var tests = DebianPlan.Create(new PlanInputs { Profile = PlanProfile.Tests, WantedBazel = "7.4.1" }, "Debian");
        Assert.Equal(["bundled-prerequisites", "test-prerequisites"], tests.Steps.Select(s => s.Id));
        Assert.Equal([.. DebianPlan.BundledPackages, .. DebianPlan.TestToolPackages], DebianPlan.TestPackages);
        Assert.Contains("policy-rc.d", tests.Steps[1].Action, StringComparison.Ordinal);

        var build = DebianPlan.Create(new PlanInputs { Profile = PlanProfile.Build, WantedBazel = "7.4.1" }, "Debian");
        Assert.Equal(["build-prerequisites", "stropts-shim", "bazel"], build.Steps.Select(s => s.Id));
        Assert.DoesNotContain(build.Steps, s => s.Action.Contains("nginx", StringComparison.Ordinal) || s.Action.Contains("bazel-bootstrap", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_apt_check_passes_only_when_every_package_is_installed()
    {
        await using var executor = new LocalExecutor(new ProcessRunner(Require.Log(output)));
        var installed = DebianPlan.Apt("t", ["bash", "coreutils"], "test");
        var oneMissing = DebianPlan.Apt("t", ["bash", "servingbuild-no-such-package"], "test");

        Assert.Equal(0, (await executor.RunAsync(installed.Check, false, null, null, CancellationToken.None)).ExitCode);
        Assert.NotEqual(0, (await executor.RunAsync(oneMissing.Check, false, null, null, CancellationToken.None)).ExitCode);
    }

    [Fact]
    public async Task The_tests_plan_runs_for_real_and_a_second_run_changes_nothing()
    {
        var console = new StringWriter();
        using var log = new TaskLog(null, console);
        await using var executor = new LocalExecutor(new ProcessRunner(log));
        var facts = await HostProbe.GatherAsync(executor, CancellationToken.None);
        Assert.True(facts.IsDebianFamily, $"this test needs a Debian or Ubuntu host; this is {facts.OsDisplay}");
        var plan = ProvisionPlanner.For(facts, new PlanInputs { Profile = PlanProfile.Tests, Architecture = facts.Architecture });
        var enabledBefore = EnabledServiceLinks();

        // What dpkg says before the run, asked apart from the plan's own check: the first run must agree with it.
        var runner = new ProcessRunner(Require.Log(output));
        var installedBefore = await AllInstalledAsync(runner);
        var first = await ProvisionStage.ProvisionAsync(log, executor, facts, plan, dryRun: false, CancellationToken.None);
        var second = await ProvisionStage.ProvisionAsync(log, executor, facts, plan, dryRun: false, CancellationToken.None);
        output.WriteLine(console.ToString());

        if (installedBefore)
        {
            Assert.All(first, o => Assert.Equal(StepStatus.Satisfied, o.Status));
        }
        else
        {
            Assert.Contains(first, o => o.Status == StepStatus.Ran);
        }

        Assert.All(second, o => Assert.Equal(StepStatus.Satisfied, o.Status));
        Assert.Contains("[2/2] skip  test-prerequisites: already satisfied", console.ToString(), StringComparison.Ordinal);

        // The install left no sshd or nginx unit enabled that was not before (the host owner's stay as they were).
        Assert.Empty(EnabledServiceLinks().Except(enabledBefore));

        // Independently of the plan's own check: dpkg says each package is installed.
        foreach (var package in DebianPlan.TestPackages)
        {
            var r = await runner.RunAsync(new ProcessSpec("dpkg-query", "-W", "-f=${Status}", package));
            Assert.Equal("install ok installed", r.StandardOutput.Trim());
        }
    }

    [Fact]
    public async Task Provision_on_the_bundled_workspace_installs_the_bundled_build_and_the_Test_task_adds_the_test_tools()
    {
        var console = new StringWriter();
        using var log = new TaskLog(null, console);
        var context = new StageContext(OptionsParser.Parse([], TestPaths.Toolkit), TestPaths.Toolkit, log);

        Assert.Equal(ExitCodes.Ok, await new ProvisionStage().RunAsync(context, CancellationToken.None));
        var stage = console.ToString();
        console.GetStringBuilder().Clear();
        await ProvisionStage.EnsureTestPrerequisitesAsync(context, CancellationToken.None);
        var test = console.ToString();
        output.WriteLine(stage + test);

        Assert.Contains(", bundled profile (1 steps)", stage, StringComparison.Ordinal);
        Assert.Contains("[1/1] skip  bundled-prerequisites: already satisfied", stage, StringComparison.Ordinal);
        Assert.DoesNotContain("test-prerequisites", stage, StringComparison.Ordinal);
        Assert.Contains(", tests profile (2 steps)", test, StringComparison.Ordinal);
        Assert.Contains("[1/2] skip  bundled-prerequisites: already satisfied", test, StringComparison.Ordinal);
        Assert.Contains("[2/2] skip  test-prerequisites: already satisfied", test, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dry_run_prints_the_plan_and_what_each_check_says()
    {
        var console = new StringWriter();
        using var log = new TaskLog(null, console);
        var options = OptionsParser.Parse(["--dry-run"], TestPaths.Toolkit);
        var context = new StageContext(options, TestPaths.Toolkit, log);

        Assert.Equal(ExitCodes.Ok, await new ProvisionStage().RunAsync(context, CancellationToken.None));
        var text = console.ToString();
        output.WriteLine(text);
        Assert.Contains("step 1/1: bundled-prerequisites (needs root)", text, StringComparison.Ordinal);
        Assert.Contains("apt-get install -y --no-install-recommends bazel-bootstrap", text, StringComparison.Ordinal);
        Assert.Contains("[1/1] would skip  bundled-prerequisites", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Emit_script_without_a_build_host_writes_the_CentOS_7_plan()
    {
        using var dir = new TempDir();
        dir.Write("serving/tensorflow_serving/tools/docker/Dockerfile.devel", "FROM ubuntu:22.04\nENV BAZEL_VERSION 7.4.1\n");
        var script = dir.Combine("provision.sh");
        using var log = new TaskLog(null, new StringWriter());
        var options = OptionsParser.Parse(["--serving-dir=" + dir.Combine("serving"), "--emit-script=" + script], TestPaths.Toolkit);

        Assert.Equal(ExitCodes.Ok, await new ProvisionStage().RunAsync(new StageContext(options, TestPaths.Toolkit, log), CancellationToken.None));
        Assert.Equal(ProvisionScript.Render(CentOs7Plan.Create(CentOs7PlanTests.Serving2200)), File.ReadAllText(script));
        Assert.Empty(Directory.GetFiles(dir.Path, "provision.sh.tmp-*"));
    }

    internal static string[] EnabledServiceLinks() =>
        (Directory.Exists("/etc/systemd/system") ? Directory.GetDirectories("/etc/systemd/system", "*.wants") : [])
            .SelectMany(d => DebianPlan.ServiceUnits.Select(u => Path.Combine(d, u)))
            .Where(p => Path.Exists(p) || new FileInfo(p).LinkTarget is not null)
            .ToArray();

    private static async Task<bool> AllInstalledAsync(ProcessRunner runner)
    {
        foreach (var package in DebianPlan.TestPackages)
        {
            var r = await runner.RunAsync(new ProcessSpec("dpkg-query", "-W", "-f=${Status}", package));
            if (r.StandardOutput.Trim() != "install ok installed")
            {
                return false;
            }
        }

        return true;
    }
}
