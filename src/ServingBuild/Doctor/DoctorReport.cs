using ServingBuild.BazelBuild;
using System.Globalization;
using ServingBuild.Host;
using ServingBuild.Provision;

namespace ServingBuild.Doctor;

/// <summary>Doctor's findings about a host as rows of a table, built from its facts and the plan's checks.</summary>
public sealed class DoctorReport(IReadOnlyList<DoctorRow> rows)
{
    /// <summary>Below this gcc risks "internal compiler error: Killed" at Bazel's default --jobs (serving#1251).</summary>
    public const long LowMemoryBytes = 8L * 1024 * 1024 * 1024;

    public IReadOnlyList<DoctorRow> Rows { get; } = rows;

    public bool HasFindings => Rows.Any(r => r.IsFinding);

    public static DoctorReport Build(string where, HostFacts facts, ProvisionPlan? plan, IReadOnlyList<StepOutcome> checks, WantedBazelVersion? wanted, string? bazelFoundVersionLine, string? bazelFoundPath, IReadOnlyDictionary<string, IReadOnlyList<string>>? missingPackages = null,
        string? bazelHowFound = null, IReadOnlyList<ServiceState>? services = null)
    {
        var rows = new List<DoctorRow>
        {
            new("host", "", where),
            new("os", plan is null ? "unsupported" : "ok", $"{facts.OsDisplay} (ID={facts.OsId} VERSION_ID={facts.OsVersionId}{(facts.OsIdLike.Count > 0 ? " ID_LIKE=" + string.Join(' ', facts.OsIdLike) : "")})", plan is null),
            new("architecture", "", $"{facts.Architecture}, kernel {facts.Kernel}"),
            new("glibc", "", facts.Glibc?.ToString() ?? "unknown"),
            new("libstdc++", "", facts.Glibcxx is { } gx ? "GLIBCXX_" + gx : "not found"),
            new(".NET can start", facts.DotnetCanStart ? "yes" : "no",
                facts.DotnetCanStart
                    ? $"glibc >= {HostFacts.DotnetMinimumGlibc} and GLIBCXX_{HostFacts.DotnetMinimumGlibcxx}"
                    : $"needs glibc >= {HostFacts.DotnetMinimumGlibc} and GLIBCXX_{HostFacts.DotnetMinimumGlibcxx}; drive this host with --build-host=user@host or --emit-script=FILE"),
            new("cpus", "", facts.Cpus.ToString(CultureInfo.InvariantCulture)),
            facts.MemoryBytes >= LowMemoryBytes
                ? new DoctorRow("memory", "ok", MemoryOk(GiB(facts.MemoryBytes), GiB(facts.MemoryAvailableBytes)))
                : new DoctorRow("memory", "low", MemoryLow(GiB(facts.MemoryBytes))),
            facts.FreeDiskBytes >= HostFacts.WantedFreeDiskBytes
                ? new DoctorRow("free disk", "ok", DiskOk(GiB(facts.FreeDiskBytes), facts.DiskPath, GiB(HostFacts.WantedFreeDiskBytes)))
                : new DoctorRow("free disk", "low", DiskLow(GiB(facts.FreeDiskBytes), facts.DiskPath, GiB(HostFacts.WantedFreeDiskBytes)), true),
        };

        var missing = checks.Count(c => c.Status == StepStatus.Missing);
        rows.Add(facts.Elevation switch
        {
            Elevation.AlreadyRoot => new DoctorRow("root", "yes", RootYes(facts.UserName)),
            Elevation.Sudo => new DoctorRow("root", "sudo", RootSudo(facts.UserName)),
            _ => new DoctorRow("root", "no", RootNo(facts.UserName), missing > 0),
        });

        rows.Add(bazelFoundPath is null
            ? new DoctorRow("bazel found", "missing", BazelMissing(bazelHowFound ?? NoBazelOnPath), true)
            : new DoctorRow("bazel found", "ok", BazelFound(bazelFoundPath, bazelFoundVersionLine ?? NoVersionPrinted, bazelFoundPath == facts.BazelPath ? facts.BazelPackageVersion : null, bazelHowFound)));

        if (wanted is null)
        {
            rows.Add(new DoctorRow("bazel wanted", "", WantedNotPinned));
        }
        else
        {
            // One version reader for Doctor and BazelBuild: pre-releases read whole, compared as semantic versions.
            // Debian's packaged Bazel prints no_version; the probe then read the release from its package. A pinned
            // install of the toolkit's own (its folder and marker name the version) may predate --version.
            var foundVersion = (bazelFoundVersionLine is null ? null : BazelVersion.FromVersionOutput(bazelFoundVersionLine))
                ?? (bazelFoundPath == facts.BazelPath ? facts.BazelVersion : null)
                ?? (bazelFoundPath is not null && bazelFoundPath == BazelInstallStep.BinaryPath(wanted.Version) ? wanted.Version : null);
            var matches = foundVersion is not null && BazelVersion.AreSame(foundVersion, wanted.Version);
            rows.Add(new DoctorRow("bazel wanted", matches ? "ok" : "mismatch",
                matches ? WantedOk(wanted.Version, wanted.Source) : WantedMismatch(wanted.Version, wanted.Source, foundVersion ?? NoVersion),
                !matches));
        }

        foreach (var service in services ?? [])
        {
            rows.Add(ServiceRow(service));
        }

        if (plan is not null)
        {
            rows.Add(new DoctorRow("plan", "", plan.Name));
            foreach (var c in checks)
            {
                rows.Add(c.Status == StepStatus.Satisfied
                    ? new DoctorRow(c.Step.Id, "present", c.Step.Description)
                    : new DoctorRow(c.Step.Id, "MISSING", MissingDetail(c.Step, missingPackages), true));
            }
        }

        return new DoctorReport(rows);
    }

    // The rows' details and the closing line, one place for Doctor and the host script (HostScripts) that prints them.
    public static string MemoryOk(string total, string available) => $"{total} total, {available} available";

    public static string MemoryLow(string total) => $"{total} total; gcc may be killed (internal compiler error: Killed): build with fewer --jobs";

    public static string DiskOk(string free, string path, string wanted) => $"{free} free in {path} (a real build wants {wanted})";

    public static string DiskLow(string free, string path, string wanted) => $"{free} free in {path}; a real build wants {wanted}: free some space";

    public static string RootYes(string user) => $"running as {user}";

    public static string RootSudo(string user) => $"{user} has passwordless sudo";

    public static string RootNo(string user) => $"{user} has neither root nor passwordless sudo; Provision needs one";

    public const string NoBazelOnPath = "no bazel on PATH";

    public const string NoVersionPrinted = "no version printed";

    public const string NoVersion = "no version";

    public static string BazelMissing(string how) => $"{how}; ./build.sh --target=Provision installs it";

    public static string BazelFound(string path, string versionLine, string? packageVersion, string? how) =>
        $"{path}: {versionLine}{(packageVersion is null ? "" : $" (package {packageVersion})")}{(how is null ? "" : $" (from {how})")}";

    public const string WantedNotPinned = $"not pinned (none in {WantedBazelVersion.Places})";

    public static string WantedOk(string version, string source) => $"{version} (from {source})";

    public static string WantedMismatch(string version, string source, string found) =>
        $"{WantedOk(version, source)}; found {found}: ./build.sh --target=Provision installs {version}";

    public static string StepMissingPackages(string packages) => $"missing: {packages}; ./build.sh --target=Provision";

    public static string StepMissing(string description) => description + "; ./build.sh --target=Provision";

    public const string AllGood = "doctor: all good";

    public static string Findings(string count, string items) => $"doctor: {count} finding(s): {items}";

    public IEnumerable<string> Lines()
    {
        var itemWidth = Rows.Max(r => r.Item.Length);
        var statusWidth = Math.Max(6, Rows.Max(r => r.Status.Length));
        yield return $"{"item".PadRight(itemWidth)}  {"status".PadRight(statusWidth)}  detail";
        yield return $"{new string('-', itemWidth)}  {new string('-', statusWidth)}  {new string('-', 6)}";
        foreach (var r in Rows)
        {
            yield return $"{r.Item.PadRight(itemWidth)}  {r.Status.PadRight(statusWidth)}  {r.Detail}";
        }

        var findings = Rows.Count(r => r.IsFinding);
        yield return findings == 0 ? AllGood : Findings($"{findings}", string.Join(", ", Rows.Where(r => r.IsFinding).Select(r => r.Item)));
    }

    /// <summary>Enabled at boot, or listening beyond loopback, is a finding: a build tool must not open ports on its host.</summary>
    private static DoctorRow ServiceRow(ServiceState service)
    {
        var listening = service.ListeningOn.Count == 0 ? "" : $"listening on {string.Join(", ", service.ListeningOn)}";
        if (service.EnabledUnits.Count > 0)
        {
            var units = string.Join(", ", service.EnabledUnits.Select(u => u.Split('/')[^1]).Distinct());
            return new DoctorRow(service.Name, "enabled", $"{string.Join(", ", service.EnabledUnits)}{(listening.Length > 0 ? "; " + listening : "")}: it starts at boot and listens; if this host needs no {service.Name}: systemctl disable --now {units}", true);
        }

        if (service.ListeningOn.Count > 0)
        {
            return service.LoopbackOnly
                ? new DoctorRow(service.Name, "loopback", $"{listening} (loopback only, e.g. a test's own instance); not enabled at boot")
                : new DoctorRow(service.Name, "listening", $"{listening}, reachable from the network; stop it if this build host needs no {service.Name}", true);
        }

        return new DoctorRow(service.Name, "off", "not enabled at boot, not listening");
    }

    private static string MissingDetail(ProvisionStep step, IReadOnlyDictionary<string, IReadOnlyList<string>>? missingPackages) =>
        missingPackages is not null && missingPackages.TryGetValue(step.Id, out var names) && names.Count > 0
            ? StepMissingPackages(string.Join(' ', names))
            : StepMissing(step.Description);

    private static string GiB(long bytes) => (bytes / (1024.0 * 1024 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB";
}
