namespace ServingBuild.Tests.Ci;

/// <summary>One job of a pipeline template: its name, the jobs it waits for, its environment and steps in order.</summary>
public sealed record CiJob(string Name, IReadOnlyList<string> Needs, IReadOnlyDictionary<string, string> Environment, IReadOnlyList<CiStep> Steps)
{
    public IEnumerable<string> Commands => Steps.Where(s => s.Kind == CiStepKind.Run).Select(s => s.Command!);

    public IEnumerable<CiStep> Uploads => Steps.Where(s => s.Kind == CiStepKind.Upload);

    public IEnumerable<CiStep> Downloads => Steps.Where(s => s.Kind == CiStepKind.Download);

    public CiStep? Cache => Steps.FirstOrDefault(s => s.Kind == CiStepKind.Cache);

    /// <summary>The toolkit task the job runs (./build.sh --target=TASK), or null.</summary>
    public string? Task => Commands.Select(c => System.Text.RegularExpressions.Regex.Match(c, @"--target=(\w+)")).FirstOrDefault(m => m.Success)?.Groups[1].Value;
}
