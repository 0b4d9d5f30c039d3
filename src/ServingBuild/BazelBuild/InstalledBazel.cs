using System.Text.RegularExpressions;
using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.BazelBuild;

/// <summary>
/// A Bazel binary on this host and its version. Debian's bazel-bootstrap reports `bazel no_version`, so
/// the version then comes from the package that owns the binary (dpkg -S, dpkg-query -W: 4.2.3+ds-9 -> 4.2.3).
/// </summary>
public sealed partial record InstalledBazel(string Path, string? Version, string HowFound)
{
    /// <summary>--bazel, then $BAZEL, then PATH; throws with the fix when none is there.</summary>
    public static string Locate(string? fromOption, IReadOnlyDictionary<string, string?> environment)
    {
        if (!string.IsNullOrEmpty(fromOption))
        {
            var found = Resolve(fromOption, environment) ?? throw new ProgramNotFoundException(fromOption, "pass --bazel=PATH to an existing Bazel binary");
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(found) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
            {
                throw new ToolkitException($"--bazel={fromOption}: {found} is not executable; chmod +x it, or pass the Bazel binary's path", ExitCodes.Usage);
            }

            return found;
        }

        if (environment.TryGetValue("BAZEL", out var env) && !string.IsNullOrEmpty(env))
        {
            return Resolve(env, environment) ?? throw new ProgramNotFoundException(env, "$BAZEL names no executable; fix or unset it");
        }

        return Resolve("bazel", environment)
            ?? throw new ProgramNotFoundException("bazel", "install Bazel (apt-get install bazel-bootstrap on Debian; --install-bazel fetches the pinned release), or pass --bazel=PATH");
    }

    /// <summary>Finds the binary and asks it (and, for a packaged no_version build, the package manager) its version.</summary>
    /// <remarks>
    /// With a cache folder the answer is remembered per binary (path, size, modification time): asking Bazel
    /// and dpkg costs about a second, most of a no-op build's time.
    /// </remarks>
    public static async Task<InstalledBazel> FindAsync(string? fromOption, IReadOnlyDictionary<string, string?> environment, ProcessRunner runner, CancellationToken cancellationToken, string? cacheDir = null)
    {
        var path = Locate(fromOption, environment);
        var how = !string.IsNullOrEmpty(fromOption) ? "--bazel" : environment.TryGetValue("BAZEL", out var b) && !string.IsNullOrEmpty(b) ? "$BAZEL" : "PATH";
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

    /// <summary>"bazel 7.4.1" -> 7.4.1; "bazel no_version" (a source build such as Debian's) -> null.</summary>
    public static string? ParseVersionOutput(string output)
    {
        var m = VersionLine().Match(output);
        return m.Success ? m.Groups["v"].Value : null;
    }

    /// <summary>A Debian package version (4.2.3+ds-9, 1:4.2.3-1) -> the upstream release (4.2.3).</summary>
    public static string? UpstreamOfPackageVersion(string packageVersion)
    {
        var m = PackageVersion().Match(packageVersion.Trim());
        return m.Success ? m.Groups["v"].Value : null;
    }

    private static async Task<string?> PackageVersionAsync(string path, ProcessRunner runner, CancellationToken cancellationToken)
    {
        if (Resolve("dpkg-query", new Dictionary<string, string?> { ["PATH"] = Environment.GetEnvironmentVariable("PATH") }) is not { } dpkgQuery)
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

    private static string? Resolve(string name, IReadOnlyDictionary<string, string?> environment) =>
        ProgramPath.Find(name, environment.TryGetValue("PATH", out var p) ? p : null);

    [GeneratedRegex(@"^bazel\s+(?<v>\d+\.\d+\.\d+\S*)", RegexOptions.Multiline)]
    private static partial Regex VersionLine();

    [GeneratedRegex(@"^(?:\d+:)?(?<v>\d+\.\d+\.\d+)")]
    private static partial Regex PackageVersion();
}
