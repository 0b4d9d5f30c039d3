namespace ServingBuild.BazelBuild;

/// <summary>
/// The console lines and failure messages of BazelBuild, in one place, because two paths print them: the C#
/// stage and the generated bash for hosts where .NET cannot start (HostScripts), which renders them with
/// placeholders. Change a line here and regenerate scripts/host/servingbuild-host.sh.
/// </summary>
public static class BazelBuildLines
{
    public static string Found(string? version, string path, string how, WantedBazelVersion? wanted) =>
        $"Bazel {version ?? "(version unknown)"} at {path} (from {how}); checkout wants {wanted?.Version ?? "no particular version"}" + (wanted is null ? $" (none in {WantedBazelVersion.Places})" : $" (pin read from {wanted.Source})");

    /// <summary>How the "Bazel ... (from ...)" line names a Bazel that --install-bazel fetched or found installed.</summary>
    public const string InstallBazelHow = "--install-bazel";

    public const string InstallBazelNoPin = $"--install-bazel: the checkout pins no Bazel version (none in {WantedBazelVersion.Places}); install Bazel by hand and pass --bazel=PATH";

    public static string AlreadyInstalled(string version, string binary) => $"Bazel {version} already installed: {binary}";

    /// <summary>The line after --install-bazel put a release in place (the digest shortened to its first 12 digits).</summary>
    public static string Installed(string version, string asset, string sha256Start, string binary) =>
        $"installed Bazel {version} ({asset}, SHA-256 {sha256Start}... verified): {binary}";

    public static string VersionUnknown(string path, string wanted) =>
        $"cannot tell which version {path} is (it reports no_version and no package owns it); expecting {wanted}";

    public static string Cause(FailureSignature s, string evidence) => $"cause [{s.Name}]: {s.Cause} (log: {evidence})";

    public static string Fix(FailureSignature s) => $"fix   [{s.Name}]: {s.Fix}";

    public const string BundledAutoFix = "the bundled workspace applies the safe fixes by default (as --auto-fix)";

    public const string AutoFixApplied = "auto-fix applied; building again";

    public static string FailedUnknown(string why, string lastLine, string logPath) =>
        $"bazel build failed ({why}): {lastLine}; see {logPath}";

    public static string FailedKnown(string why, FailureSignature first, bool hintAutoFix, string logPath) =>
        $"bazel build failed ({why}) [{first.Name}]: {first.Cause}; fix: {first.Fix}{(hintAutoFix ? " (or rerun with --auto-fix)" : "")}; log: {logPath}";

    public static string ExitCode(int code) => $"exit code {code}";

    public static string BinaryMissing(string binary, string logPath) =>
        $"Bazel succeeded but {binary} is missing; is {ServerBinary.Target} the server target of this checkout? (log: {logPath})";

    public static string Finished(string seconds, string? summary) => $"BazelBuild finished in {seconds}s" + (summary is null ? "" : $" ({summary})");

    public static string SummaryCounts(string total, string executed, string remoteHits) => $"{total} processes, {executed} executed, {remoteHits} remote cache hits";

    public static string ServerBinaryLine(string binary) => $"server binary: {binary}";

    public static string NoWorkspace(string servingDir) => $"--serving-dir={servingDir} holds no WORKSPACE; point it at a TensorFlow Serving checkout";

    public static string ShimExists(string path) => $"auto-fix: {path} already exists; left as it is";

    public static string ShimCreated(string path) => $"auto-fix: created an empty {path} (0644)";

    public static string ShimNoRoot(string path) => $"auto-fix: cannot write {path} without root; run: sudo touch {path}";

    public static string Installing(string installer, string package) => $"auto-fix: {installer} install -y {package}";

    public static string NoInstaller(string package) => $"auto-fix: no apt-get, dnf or yum here; install {package} by hand";

    public static string InstallFailed(string installer, string package, string exitCode) =>
        $"auto-fix: installing {package} failed (exit {exitCode}); run as root: {installer} install -y {package}";

    /// <summary>The package managers --auto-fix tries, in order.</summary>
    public static readonly IReadOnlyList<string> Installers = ["apt-get", "dnf", "yum"];
}
