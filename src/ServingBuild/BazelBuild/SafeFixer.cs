using ServingBuild.Host;
using ServingBuild.Processes;
using ServingBuild.Provision;

namespace ServingBuild.BazelBuild;

/// <summary>
/// Applies a <see cref="SafeFix"/> on this host as a one-step provisioning plan: the same stropts.h step and the same
/// apt step the Provision plans carry, checked first, run through the plan runner (root or passwordless sudo only when
/// there is work), and checked again. There is one stropts fix and one package install, inside the plan, not a
/// second copy here. Returns false (with the reason logged) when it cannot.
/// </summary>
/// <param name="runner">Starts the processes (and logs them).</param>
/// <param name="executor">Where the plan runs; this machine when null (tests aim it at a folder through SERVINGBUILD_SYSROOT).</param>
public sealed class SafeFixer(ProcessRunner runner, IHostExecutor? executor = null)
{
    public async Task<bool> ApplyAsync(SafeFix fix, CancellationToken cancellationToken)
    {
        await using var local = executor is null ? new LocalExecutor(runner) : null;
        var host = executor ?? local!;
        var facts = await HostProbe.GatherAsync(host, cancellationToken).ConfigureAwait(false);
        var step = StepFor(fix, facts);
        if (step is null)
        {
            runner.Log.Warn(PlanLines.AutoFixNoStep($"{fix}", facts.OsDisplay));
            return false;
        }

        var plan = new ProvisionPlan($"auto-fix {fix}", [step]) { OsId = facts.OsId, OsVersionPrefix = "" };
        try
        {
            await new PlanRunner(host, runner.Log).RunAsync(plan, facts, cancellationToken).ConfigureAwait(false);
            runner.Log.Info(PlanLines.AutoFixDone(step.Description));
            return true;
        }
        catch (ToolkitException ex) when (ex is RootRequiredException or StepFailedException)
        {
            runner.Log.Warn(PlanLines.AutoFixPrefix + ex.Message);
            return false;
        }
    }

    /// <summary>
    /// The plan step a fix is: Debian's apt step where .NET runs, the CentOS 7 plan's own steps on CentOS 7 (the host
    /// script, scripts/host/servingbuild-host.sh, is generated from this choice).
    /// </summary>
    public static ProvisionStep? StepFor(SafeFix fix, HostFacts facts) => fix switch
    {
        SafeFix.StroptsShim => StroptsShim.Step,
        SafeFix.InstallBzip2 when facts.OsId == "centos" && facts.OsVersionId.Split('.')[0] == "7" => CentOs7Plan.Bzip2Step,
        SafeFix.InstallBzip2 when facts.IsDebianFamily => DebianPlan.Apt("bzip2", ["bzip2"], "tar needs bzip2 to unpack .tar.bz2 archives during the build ('tar (child): bzip2: Cannot exec')"),
        _ => null,
    };
}
