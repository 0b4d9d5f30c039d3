// How the script reaches the toolkit: the compiled entry point (ServingBuild.Cli.dll), started once per task.
// Measured against a locally packed #addin (see README, "Why a compiled entry point").

public sealed class Toolkit
{
    private readonly ICakeContext _context;
    private readonly string _cli;
    private readonly string _forwarded;

    public Toolkit(ICakeContext context)
    {
        _context = context;
        _cli = System.Environment.GetEnvironmentVariable("SERVINGBUILD_CLI")
            ?? throw new CakeException(2, "SERVINGBUILD_CLI is not set: run the build through ./build.sh or ./build.ps1");
        _forwarded = string.Join(" ", Forwarded(context).Select(Quote));
    }

    public void CheckTarget(string target, IEnumerable<string> tasks)
    {
        var names = tasks.ToList();
        if (!names.Any(n => string.Equals(n, target, StringComparison.OrdinalIgnoreCase)))
        {
            Fail(2, $"error: unknown target '{target}'; valid targets: {string.Join(", ", names)}");
        }
    }

    public void CheckOptions()
    {
        var code = Start("check");
        if (code != 0)
        {
            // The entry point already printed the one line saying what is wrong.
            System.Environment.Exit(code);
        }
    }

    /// <summary>The exit code of the task that failed, for the script's own exit code.</summary>
    public int? FailedExitCode { get; private set; }

    public string FailureMessage { get; private set; } = "";

    public void Run(string task)
    {
        var code = Start(task);
        if (code != 0)
        {
            FailedExitCode = code;
            FailureMessage = $"{task} failed (exit code {code}); the line above the summary says why, the full log is artifacts/logs/{task}.log";
            throw new CakeException(code, FailureMessage);
        }
    }

    private int Start(string verb) =>
        _context.StartProcess("dotnet", new ProcessSettings
        {
            Arguments = $"exec {Quote(_cli)} {verb} {_forwarded}",
            WorkingDirectory = System.Environment.GetEnvironmentVariable("SERVINGBUILD_CALLER_DIR") ?? System.Environment.GetEnvironmentVariable("SERVINGBUILD_ROOT"),
            Silent = true,
        });

    private static void Fail(int code, string line)
    {
        Console.Error.WriteLine(line);
        System.Environment.Exit(code);
    }

    // Every argument given to build.sh except Cake's own, back in --name=value form.
    private static IEnumerable<string> Forwarded(ICakeContext context)
    {
        var own = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "target", "verbosity", "v", "description", "tree", "help", "version", "info", "exclusive", "e", "debug", "d", "bootstrap", "skip-bootstrap" };
        foreach (var pair in context.Arguments.GetArguments())
        {
            if (own.Contains(pair.Key))
            {
                continue;
            }

            foreach (var value in pair.Value.DefaultIfEmpty(""))
            {
                yield return string.IsNullOrEmpty(value) ? $"--{pair.Key}" : $"--{pair.Key}={value}";
            }
        }
    }

    private static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsLetterOrDigit(c) || "-_./=:,+@%".IndexOf(c) >= 0) ? s : "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
