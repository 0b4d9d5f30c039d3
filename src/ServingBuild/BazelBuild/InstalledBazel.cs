using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.BazelBuild;

/// <summary>
/// A Bazel binary on this host and its version. Debian's bazel-bootstrap reports `bazel no_version`, so
/// the version then comes from the package that owns the binary (dpkg -S, dpkg-query -W: 4.2.3+ds-9 -> 4.2.3).
/// </summary>
public sealed record InstalledBazel(string Path, string? Version, string HowFound)
{
    /// <summary>--bazel, then $BAZEL, then PATH (<see cref="BazelLocator"/>); throws with the fix when none is there.</summary>
    public static string Locate(string? fromOption, IReadOnlyDictionary<string, string?> environment) =>
        BazelLocator.Locate(fromOption, environment).Path;

    /// <summary>Finds the binary and asks it (and, for a packaged no_version build, the package manager) its version.</summary>
    /// <remarks>
    /// With a cache folder the answer is remembered per binary (path, size, modification time): asking Bazel
    /// and dpkg costs about a second, most of a no-op build's time.
    /// </remarks>
    public static async Task<InstalledBazel> FindAsync(string? fromOption, IReadOnlyDictionary<string, string?> environment, ProcessRunner runner, CancellationToken cancellationToken, string? cacheDir = null, string? wantedVersion = null)
    {
        var (path, how) = BazelLocator.Locate(fromOption, environment, wantedVersion, cacheDir);
        if (wantedVersion is not null && BazelLocator.IsPinnedInstall(path, wantedVersion))
        {
            // Our own per-version install: its folder and marker say the version, and releases before 1.0 have no
            // --version to ask.
            return new InstalledBazel(path, wantedVersion, how);
        }

        var info = new FileInfo(path);
        var key = $"{path}|{info.Length}|{info.LastWriteTimeUtc.Ticks}|";
        var cacheFile = cacheDir is null ? null : System.IO.Path.Combine(cacheDir, "bazel", "versions.txt");
        if (cacheFile is not null && File.Exists(cacheFile))
        {
            var hit = File.ReadLines(cacheFile).LastOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
            if (hit is not null)
            {
                return new InstalledBazel(path, hit[key.Length..], how);
            }
        }

        var result = await runner.RunAsync(new ProcessSpec(path, "--version") { Timeout = TimeSpan.FromMinutes(2) }, cancellationToken: cancellationToken).ConfigureAwait(false);
        var version = ParseVersionOutput(result.StandardOutput + "\n" + result.StandardError);
        if (version is null && result.Succeeded)
        {
            version = await PackageVersionAsync(path, runner, cancellationToken).ConfigureAwait(false);
        }

        if (cacheFile is not null && version is not null)
        {
            // Rewritten whole (one line per binary, the newest last), never appended: two runs cannot interleave.
            var kept = File.Exists(cacheFile) ? File.ReadLines(cacheFile).Where(l => !l.StartsWith(key, StringComparison.Ordinal)).TakeLast(50) : [];
            Files.AtomicFile.WriteAllText(cacheFile, string.Concat(kept.Append(key + version).Select(l => l + "\n")));
        }

        return new InstalledBazel(path, version, how);
    }

    /// <summary>"bazel 7.4.1" -> 7.4.1, pre-releases whole; "bazel no_version" -> null (<see cref="BazelVersion"/>).</summary>
    public static string? ParseVersionOutput(string output) => BazelVersion.FromVersionOutput(output);

    /// <summary>A Debian package version (4.2.3+ds-9, 1:4.2.3-1) -> the upstream release (4.2.3).</summary>
    public static string? UpstreamOfPackageVersion(string packageVersion) => BazelVersion.FromPackageVersion(packageVersion);

    private static async Task<string?> PackageVersionAsync(string path, ProcessRunner runner, CancellationToken cancellationToken)
    {
        var dpkgQuery = ProgramPath.Find("dpkg-query");
        if (dpkgQuery is null)
        {
            return null;
        }

        var real = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        foreach (var candidate in new[] { path, real }.Distinct())
        {
            var owner = await runner.RunAsync(new ProcessSpec(dpkgQuery, "-S", candidate) { Timeout = TimeSpan.FromMinutes(1) }, cancellationToken: cancellationToken).ConfigureAwait(false);
            var package = owner.Succeeded ? owner.StandardOutput.Split(':', 2)[0].Trim() : "";
            if (package.Length == 0 || package.Contains(' '))
            {
                continue;
            }

            var version = await runner.RunAsync(new ProcessSpec(dpkgQuery, "-W", "-f=${Version}", package) { Timeout = TimeSpan.FromMinutes(1) }, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (version.Succeeded && UpstreamOfPackageVersion(version.StandardOutput) is { } v)
            {
                return v;
            }
        }

        return null;
    }
}
