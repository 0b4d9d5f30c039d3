using ServingBuild.Host;
using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.Provision;

/// <summary>
/// Installs the host prerequisites from a plan (CentOS 7: yum; Debian/Ubuntu: apt), on this machine, on
/// --build-host over ssh, or written out with --emit-script; --dry-run prints the plan and what each check says.
/// </summary>
public sealed class ProvisionStage : IStage
{
    public async Task<int> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        if (options.EmitScript is { } scriptPath && options.BuildHost is null)
        {
            // No host to probe: the script is for the host .NET cannot start on.
            EmitScript(context, CentOs7Plan.Create(ProvisionPlanner.Inputs(options, "x86_64")), scriptPath);
            return ExitCodes.Ok;
        }

        await using var executor = HostExecutors.For(options, context.Runner);
        var facts = await HostProbe.GatherAsync(executor, cancellationToken);
        var plan = ProvisionPlanner.For(facts, ProvisionPlanner.Inputs(options, facts.Architecture));
        if (options.EmitScript is { } remoteScriptPath)
        {
            EmitScript(context, plan, remoteScriptPath);
            return ExitCodes.Ok;
        }

        await ProvisionAsync(context.Log, executor, facts, plan, options.DryRun, cancellationToken);
        return ExitCodes.Ok;
    }

    /// <summary>The Test task's prerequisites on Debian/Ubuntu: the Provision stage's Debian plan, tests profile.</summary>
    public static async Task EnsureTestPrerequisitesAsync(StageContext context, CancellationToken cancellationToken)
    {
        await using var executor = new LocalExecutor(context.Runner);
        var facts = await HostProbe.GatherAsync(executor, cancellationToken);
        if (!facts.IsDebianFamily)
        {
            context.Log.Warn($"test prerequisites are installed only on Debian/Ubuntu; on {facts.OsDisplay} install them by hand: {string.Join(' ', DebianPlan.TestPackages)}");
            return;
        }

        var plan = DebianPlan.Create(new PlanInputs { Profile = PlanProfile.Tests, Architecture = facts.Architecture }, facts.OsDisplay);
        await ProvisionAsync(context.Log, executor, facts, plan, dryRun: false, cancellationToken);
    }

    /// <summary>The one path both Provision and the Test task's prerequisites take: print, then check or run.</summary>
    public static async Task<IReadOnlyList<StepOutcome>> ProvisionAsync(TaskLog log, IHostExecutor executor, HostFacts facts, ProvisionPlan plan, bool dryRun, CancellationToken cancellationToken)
    {
        log.Info(PlanLines.Host(executor.Where, facts.OsDisplay, facts.Architecture, $"{facts.Glibc}", facts.UserName));
        log.Info(PlanLines.Plan(plan.Name, $"{plan.Steps.Count}"));
        var runner = new PlanRunner(executor, log);
        if (!dryRun)
        {
            var outcomes = await runner.RunAsync(plan, facts, cancellationToken);
            foreach (var note in plan.Notes)
            {
                log.Info(PlanLines.Note(note));
            }

            return outcomes;
        }

        foreach (var line in plan.Render().Split('\n'))
        {
            log.Info(line);
        }

        var checks = await runner.CheckAsync(plan, cancellationToken);
        log.Info(PlanLines.DryRunHeader);
        for (var i = 0; i < checks.Count; i++)
        {
            var c = checks[i];
            var tag = PlanLines.Tag($"{i + 1}", $"{checks.Count}");
            log.Info(c.Status == StepStatus.Satisfied ? PlanLines.WouldSkip(tag, c.Step.Id) : PlanLines.WouldRun(tag, c.Step.Id));
        }

        if (plan.NeedsRoot && executor.Elevation == Elevation.Unavailable && checks.Any(c => c.Status == StepStatus.Missing))
        {
            log.Warn($"running this plan on {executor.Where} needs root or passwordless sudo, and user '{facts.UserName}' has neither");
        }

        return checks;
    }

    private static void EmitScript(StageContext context, ProvisionPlan plan, string path)
    {
        ProvisionScript.Write(plan, path);
        context.Log.Info($"wrote {path}: {plan.Name}, {plan.Steps.Count} steps; copy it to the build host and run it as root: sudo bash {Path.GetFileName(path)}");
    }
}
