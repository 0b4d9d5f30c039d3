using ServingBuild.Host;
using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.Provision;

/// <summary>
/// Carries a plan out through an executor: every step's check first, its action only when the check fails, and
/// the check again afterwards so a step that "succeeded" without effect is caught. Run twice, the second run
/// changes nothing.
/// </summary>
public sealed class PlanRunner(IHostExecutor executor, TaskLog log)
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan ActionTimeout = TimeSpan.FromMinutes(60);

    /// <summary>Runs only the checks: what Doctor and --dry-run report. Changes nothing and needs no root.</summary>
    public async Task<IReadOnlyList<StepOutcome>> CheckAsync(ProvisionPlan plan, CancellationToken cancellationToken)
    {
        var outcomes = new List<StepOutcome>();
        foreach (var step in plan.Steps)
        {
            var satisfied = await IsSatisfiedAsync(step, cancellationToken).ConfigureAwait(false);
            outcomes.Add(new StepOutcome(step, satisfied ? StepStatus.Satisfied : StepStatus.Missing));
        }

        return outcomes;
    }

    /// <summary>
    /// Runs the plan. Steps run in order, so the first unsatisfied step that needs root on a host without root or
    /// passwordless sudo stops the run before anything has changed (every step of our plans needs root).
    /// </summary>
    public async Task<IReadOnlyList<StepOutcome>> RunAsync(ProvisionPlan plan, HostFacts facts, CancellationToken cancellationToken)
    {
        var outcomes = new List<StepOutcome>();
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            var step = plan.Steps[i];
            var tag = PlanLines.Tag($"{i + 1}", $"{plan.Steps.Count}");
            if (await IsSatisfiedAsync(step, cancellationToken).ConfigureAwait(false))
            {
                log.Info(PlanLines.Skip(tag, step.Id));
                outcomes.Add(new StepOutcome(step, StepStatus.Satisfied));
                continue;
            }

            // Only work left to do needs root: a host that is already provisioned passes without it.
            if (step.NeedsRoot && executor.Elevation is Elevation.Unavailable or Elevation.Unknown)
            {
                throw new RootRequiredException(PlanLines.RootRequired(executor.Where, step.Id, facts.UserName, $"{facts.UserId}"));
            }

            log.Info(PlanLines.Run(tag, step.Id, step.Description));
            var result = await executor.RunAsync(step.Action, step.NeedsRoot, line => log.Info(PlanLines.Output(line)), ActionTimeout, cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                var last = result.Tail.LastOrDefault(l => !string.IsNullOrWhiteSpace(l))?.Trim() ?? "no output";
                var why = result.TimedOut ? $"timed out after {ActionTimeout.TotalMinutes:0} min" : PlanLines.ExitCode($"{result.ExitCode}");
                throw new StepFailedException(PlanLines.StepFailed(step.Id, executor.Where, why, last, PlanLines.LogHint(log.LogPath)));
            }

            if (!await IsSatisfiedAsync(step, cancellationToken).ConfigureAwait(false))
            {
                throw new StepFailedException(PlanLines.CheckStillFails(step.Id, executor.Where, step.Check.Split('\n')[0], PlanLines.LogHint(log.LogPath)));
            }

            outcomes.Add(new StepOutcome(step, StepStatus.Ran));
        }

        var ran = outcomes.Count(o => o.Status == StepStatus.Ran);
        log.Info(PlanLines.Provisioned(executor.Where, $"{ran}", $"{outcomes.Count - ran}"));
        return outcomes;
    }

    private async Task<bool> IsSatisfiedAsync(ProvisionStep step, CancellationToken cancellationToken)
    {
        var result = await executor.RunAsync(step.Check, asRoot: false, onLine: null, CheckTimeout, cancellationToken).ConfigureAwait(false);
        if (result.TimedOut)
        {
            throw new StepFailedException($"the check of provision step '{step.Id}' timed out on {executor.Where}: {step.Check.Split('\n')[0]}");
        }

        return result.ExitCode == 0;
    }
}
