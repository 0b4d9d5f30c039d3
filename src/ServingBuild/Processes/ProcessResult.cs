namespace ServingBuild.Processes;

/// <summary>What a finished process left: exit code, time, captured output and the last lines of both streams.</summary>
public sealed record ProcessResult(
    int ExitCode,
    TimeSpan Duration,
    string StandardOutput,
    string StandardError,
    IReadOnlyList<string> Tail,
    bool TimedOut)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;
}
