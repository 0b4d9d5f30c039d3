using ServingBuild.Host;
using ServingBuild.Provision;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Provision;

/// <summary>Provision as a user with neither root nor passwordless sudo: nobody, through setpriv, for real.</summary>
[Trait("Category", "Integration")]
public class NonRootTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Provision_without_root_or_sudo_says_so_in_one_line_and_runs_nothing()
    {
        var setpriv = Require.Program("setpriv", "util-linux");
        Assert.True(Require.IsRoot, "setpriv can only switch user when the tests run as root (./build.sh --target=Test does)");
        var console = new StringWriter();
        using var log = new TaskLog(null, console);
        await using var executor = new LocalExecutor(new ProcessRunner(log), [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--"]);

        var facts = await HostProbe.GatherAsync(executor, CancellationToken.None);
        Assert.Equal(65534, facts.UserId);
        Assert.Equal(Elevation.Unavailable, executor.Elevation);

        // A plan with one unsatisfied step: it must not even be attempted.
        var plan = new ProvisionPlan("test", [DebianPlan.Apt("missing", ["servingbuild-no-such-package"], "test")]) { OsId = "debian", OsVersionPrefix = "" };
        var ex = await Assert.ThrowsAsync<RootRequiredException>(() => ProvisionStage.ProvisionAsync(log, executor, facts, plan, dryRun: false, CancellationToken.None));
        output.WriteLine(ex.Message);

        Assert.Equal(ExitCodes.Prerequisite, ex.ExitCode);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Equal(
            $"provisioning this machine needs root or passwordless sudo (step 'missing' has work to do), and user '{facts.UserName}' (uid 65534) has neither; run as root, or allow this user `sudo` without a password (`sudo -n true` must succeed)",
            ex.Message);
        Assert.DoesNotContain("apt-get", console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_root_a_host_that_is_already_provisioned_passes_with_every_step_skipped()
    {
        var setpriv = Require.Program("setpriv", "util-linux");
        Assert.True(Require.IsRoot, "setpriv can only switch user when the tests run as root (./build.sh --target=Test does)");
        var console = new StringWriter();
        using var log = new TaskLog(null, console);
        await using var executor = new LocalExecutor(new ProcessRunner(log), [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
        var facts = await HostProbe.GatherAsync(executor, CancellationToken.None);
        Assert.Equal(Elevation.Unavailable, executor.Elevation);

        var plan = DebianPlan.Create(new PlanInputs { Profile = PlanProfile.Tests }, facts.OsDisplay);
        var outcomes = await ProvisionStage.ProvisionAsync(log, executor, facts, plan, dryRun: false, CancellationToken.None);
        Assert.All(outcomes, o => Assert.Equal(StepStatus.Satisfied, o.Status));
    }
}
