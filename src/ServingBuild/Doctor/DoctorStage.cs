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
        var facts = await HostProbe.GatherAsync(executor, cancellationToken);
        ProvisionPlan? plan = null;
        IReadOnlyList<StepOutcome> checks = [];
        try
        {
            plan = ProvisionPlanner.For(facts, ProvisionPlanner.Inputs(context.Options, facts.Architecture));
            checks = await new PlanRunner(executor, context.Log).CheckAsync(plan, cancellationToken);
        }
        catch (UnsupportedHostException ex)
        {
            context.Log.Detail(ex.Message);
        }

        var bazelPath = facts.BazelPath;
        var bazelLine = facts.BazelVersionLine;
        if (context.Options.Bazel is { } bazel)
        {
            // --bazel names the binary the build will use: ask that one.
            var r = await executor.RunAsync($"command -v {ShellQuote.Quote(bazel)} && {ShellQuote.Quote(bazel)} --version", asRoot: false, onLine: null, TimeSpan.FromMinutes(2), cancellationToken);
            var lines = r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            (bazelPath, bazelLine) = r.Succeeded && lines.Length >= 1 ? (lines[0], lines.Length > 1 ? lines[1] : null) : (null, null);
        }

        // Name the missing packages, not only the step that would install them.
        var missing = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var c in checks.Where(c => c.Status == StepStatus.Missing && c.Step.MissingQuery is not null))
        {
            var r = await executor.RunAsync(c.Step.MissingQuery!, asRoot: false, onLine: null, TimeSpan.FromMinutes(2), cancellationToken);
            missing[c.Step.Id] = r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        var wanted = WantedBazelVersion.Read(context.Options.ServingDir);
        return DoctorReport.Build(executor.Where, facts, plan, checks, wanted, bazelLine, bazelPath, missing);
    }
}
