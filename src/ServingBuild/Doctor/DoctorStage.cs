using ServingBuild.BazelBuild;
using ServingBuild.Host;
using ServingBuild.Provision;
using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.Doctor;

/// <summary>
/// Reports the build host (this machine or --build-host) as a table: OS, glibc, whether .NET can start, CPUs,
/// memory, free disk, root, Bazel found and wanted, and each prerequisite of the Provision plan present or missing.
/// Changes nothing: only the probe and the plan's read-only checks run, never as root.
/// </summary>
public sealed class DoctorStage : IStage
{
    public async Task<int> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        await using var executor = HostExecutors.For(context.Options, context.Runner);
        var report = await ExamineAsync(context, executor, cancellationToken);
        foreach (var line in report.Lines())
        {
            context.Log.Info(line);
        }

        return report.HasFindings ? ExitCodes.DoctorFindings : ExitCodes.Ok;
    }

    public static async Task<DoctorReport> ExamineAsync(StageContext context, IHostExecutor executor, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var wanted = WantedBazelVersion.Read(options.ServingDir);

        // The Bazel the build would use, found the way BazelBuild finds it: on this machine by the locator itself
        // (--bazel, $BAZEL, the pinned install, PATH); on a build host by --bazel or the pinned install, then PATH.
        string search;
        string? bazelHow = null;
        if (executor is LocalExecutor)
        {
            try
            {
                var found = BazelLocator.Find(options.Bazel, BazelLocator.ProcessEnvironment(), wanted?.Version, options.CacheDir);
                search = HostProbe.BazelSearch(found is null ? [] : [found.Path], pathName: null);
                bazelHow = found?.HowFound;
            }
            catch (ProgramNotFoundException ex)
            {
                search = HostProbe.BazelSearch([], pathName: null);
                bazelHow = ex.Message;
            }
        }
        else if (options.Bazel is { } bazel)
        {
            search = bazel.Contains('/') ? HostProbe.BazelSearch([bazel], pathName: null) : HostProbe.BazelSearch([], bazel);
            bazelHow = "--bazel";
        }
        else
        {
            search = HostProbe.BazelSearch(wanted is null ? [] : [BazelInstallStep.BinaryPath(wanted.Version)], "bazel");
        }

        var facts = await HostProbe.GatherAsync(executor, search, cancellationToken);
        ProvisionPlan? plan = null;
        IReadOnlyList<StepOutcome> checks = [];
        try
        {
            plan = ProvisionPlanner.For(facts, ProvisionPlanner.Inputs(options, facts.Architecture));
            checks = await new PlanRunner(executor, context.Log).CheckAsync(plan, cancellationToken);
        }
        catch (UnsupportedHostException ex)
        {
            context.Log.Detail(ex.Message);
        }

        var services = await executor.RunAsync(ServiceState.Script, asRoot: false, onLine: null, TimeSpan.FromMinutes(1), cancellationToken);

        // Name the missing packages, not only the step that would install them.
        var missing = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var c in checks.Where(c => c.Status == StepStatus.Missing && c.Step.MissingQuery is not null))
        {
            var r = await executor.RunAsync(c.Step.MissingQuery!, asRoot: false, onLine: null, TimeSpan.FromMinutes(2), cancellationToken);
            missing[c.Step.Id] = r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        return DoctorReport.Build(executor.Where, facts, plan, checks, wanted, facts.BazelVersionLine, facts.BazelPath, missing, bazelHow, ServiceState.Parse(services.StandardOutput));
    }
}
