namespace ServingBuild.Provision;

/// <summary>
/// The console lines and failure messages of running a provisioning plan, in one place, because two paths print them:
/// the C# plan runner (PlanRunner, ProvisionStage, SafeFixer) and the generated bash for hosts where .NET cannot start
/// (HostScripts), which renders them with placeholders. Change a line here and regenerate scripts/host/servingbuild-host.sh.
/// </summary>
public static class PlanLines
{
    /// <summary>"[2/9]": a step's place in the plan.</summary>
    public static string Tag(string number, string total) => $"[{number}/{total}]";

    public static string Host(string where, string os, string architecture, string glibc, string user) =>
        $"host: {where}: {os}, {architecture}, glibc {glibc}, user {user}";

    public static string Plan(string name, string stepCount) => $"plan: {name} ({stepCount} steps)";

    public static string Skip(string tag, string id) => $"{tag} skip  {id}: already satisfied";

    public static string Run(string tag, string id, string description) => $"{tag} run   {id}: {description}";

    /// <summary>Each line a step's action prints, as the console shows it.</summary>
    public static string Output(string line) => "      " + line;

    public static string RootRequired(string where, string id, string user, string uid) =>
        $"provisioning {where} needs root or passwordless sudo (step '{id}' has work to do), and user '{user}' (uid {uid}) has neither; run as root, or allow this user `sudo` without a password (`sudo -n true` must succeed)";

    public static string ExitCode(string code) => $"exit code {code}";

    /// <summary>" (log: PATH)" after a failure, or nothing when the task keeps no log.</summary>
    public static string LogHint(string? path) => path is null ? "" : $" (log: {path})";

    public static string StepFailed(string id, string where, string why, string lastLine, string logHint) =>
        $"provision step '{id}' failed on {where} ({why}): {lastLine}; fix it and run Provision again (steps already done are skipped){logHint}";

    public static string CheckStillFails(string id, string where, string checkHead, string logHint) =>
        $"provision step '{id}' ran on {where} but its check still fails: {checkHead}{logHint}";

    public static string Provisioned(string where, string ran, string satisfied) =>
        $"provisioned {where}: {ran} step(s) ran, {satisfied} already satisfied";

    public static string Note(string note) => "note: " + note;

    public const string DryRunHeader = "dry run, nothing changed:";

    public static string WouldSkip(string tag, string id) => $"  {tag} would skip  {id}";

    public static string WouldRun(string tag, string id) => $"  {tag} would run   {id}";

    /// <summary>--auto-fix's lines around its one-step plan (SafeFixer); a failure of the plan is prefixed with <see cref="AutoFixPrefix"/>.</summary>
    public const string AutoFixPrefix = "auto-fix: ";

    public static string AutoFixNoStep(string fix, string os) => $"{AutoFixPrefix}no plan step for {fix} on {os}; apply it by hand (README, Troubleshooting)";

    public static string AutoFixDone(string description) => $"{AutoFixPrefix}{description}: done";
}
