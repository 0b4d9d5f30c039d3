namespace ServingBuild.Processes;

/// <summary>An external program to run: what, where, with which environment, for how long.</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables added to (or, with a null value, removed from) the inherited environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Killed after this long; null means no limit (a multi-hour Bazel build may want that).</summary>
    public TimeSpan? Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Text fed to standard input; null leaves it empty.</summary>
    public string? StandardInput { get; init; }

    /// <summary>Keep stdout in memory for the caller (off for chatty builds, which only stream).</summary>
    public bool CaptureOutput { get; init; } = true;

    /// <summary>
    /// Dies with the task process, even when that is killed with -9: started through util-linux's
    /// `setpriv --pdeathsig KILL` (where it exists) and recorded in a pidfile under <see cref="PidFolder"/>.
    /// For the long-running children (the model server, the verifier).
    /// </summary>
    public bool DieWithParent { get; init; }

    /// <summary>Where the pidfile goes while the process runs (artifacts/run/children); null writes none.</summary>
    public string? PidFolder { get; init; }

    /// <summary>How long a graceful stop (SIGINT) waits before the process is killed.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    public ProcessSpec(string fileName, params string[] arguments)
        : this(fileName, (IReadOnlyList<string>)arguments)
    {
    }

    /// <summary>The command as a shell would show it, for logs and dry runs.</summary>
    public string Display => string.Join(' ', new[] { FileName }.Concat(Arguments).Select(ShellQuote.Quote));
}
