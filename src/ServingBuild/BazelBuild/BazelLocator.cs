using ServingBuild.Processes;

namespace ServingBuild.BazelBuild;

/// <summary>
/// The one way every task finds Bazel (BazelBuild, Doctor's probe, Protos' `bazel info`, Clean): --bazel, then
/// $BAZEL, then the checkout's pinned version where the toolkit installed it side by side (--install-bazel's
/// &lt;cache&gt;/bazel/&lt;v&gt;/bin/bazel, Provision's /opt/servingbuild/bazel/&lt;v&gt;/bin/bazel), then `bazel` on PATH.
/// </summary>
public static class BazelLocator
{
    /// <summary>Where Provision (locally, over ssh and in the emitted script) installs pinned releases: root-owned, for every user.</summary>
    public const string SystemToolsRoot = "/opt/servingbuild/bazel";

    /// <summary>The per-version roots searched for a pinned release, the user's cache first.</summary>
    public static IReadOnlyList<string> ToolsRoots(string? cacheDir) =>
        cacheDir is null ? [SystemToolsRoot] : [Path.Combine(cacheDir, "bazel"), SystemToolsRoot];

    /// <summary>How a pinned install was found, for the "Bazel ... (from ...)" line (also the host script's words).</summary>
    public static string PinnedHow(string version, string root) => $"the pinned {version} installed in {root}";

    /// <summary>The fix when no Bazel is anywhere.</summary>
    public const string NotFoundFix = "install Bazel (apt-get install bazel-bootstrap on Debian; --install-bazel or Provision fetches the pinned release), or pass --bazel=PATH";

    /// <summary>Null when no Bazel is anywhere; throws when --bazel or $BAZEL names one that does not exist.</summary>
    public static BazelLocation? Find(string? fromOption, IReadOnlyDictionary<string, string?> environment, string? wantedVersion = null, string? cacheDir = null)
    {
        if (!string.IsNullOrEmpty(fromOption))
        {
            EnsureExecutable(fromOption);
            return new BazelLocation(
                Resolve(fromOption, environment) ?? throw new ProgramNotFoundException(fromOption, "pass --bazel=PATH to an existing Bazel binary"),
                "--bazel");
        }

        if (environment.TryGetValue("BAZEL", out var env) && !string.IsNullOrEmpty(env))
        {
            return new BazelLocation(
                Resolve(env, environment) ?? throw new ProgramNotFoundException(env, "$BAZEL names no executable; fix or unset it"),
                "$BAZEL");
        }

        if (wantedVersion is not null && BazelVersion.IsVersion(wantedVersion))
        {
            foreach (var root in ToolsRoots(cacheDir))
            {
                var release = new BazelRelease(wantedVersion, "linux-x86_64");
                if (BazelInstaller.IsInstalled(release, root))
                {
                    return new BazelLocation(release.InstalledBinary(root), PinnedHow(wantedVersion, root));
                }
            }
        }

        return Resolve("bazel", environment) is { } onPath ? new BazelLocation(onPath, "PATH") : null;
    }

    /// <summary>Whether <paramref name="path"/> is a complete per-version install of <paramref name="version"/> by the toolkit.</summary>
    public static bool IsPinnedInstall(string path, string version)
    {
        var bin = Path.GetDirectoryName(Path.GetFullPath(path));
        var dir = Path.GetDirectoryName(bin);
        var root = Path.GetDirectoryName(dir);
        return Path.GetFileName(path) == "bazel" && Path.GetFileName(bin) == "bin" && Path.GetFileName(dir) == version
            && root is not null && BazelInstaller.IsInstalled(new BazelRelease(version, "linux-x86_64"), root);
    }

    /// <summary>Like <see cref="Find"/>, but a missing Bazel throws with the fix.</summary>
    public static BazelLocation Locate(string? fromOption, IReadOnlyDictionary<string, string?> environment, string? wantedVersion = null, string? cacheDir = null) =>
        Find(fromOption, environment, wantedVersion, cacheDir)
        ?? throw new ProgramNotFoundException("bazel", NotFoundFix);

    /// <summary>The process environment as the locator reads it.</summary>
    public static IReadOnlyDictionary<string, string?> ProcessEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);

    private static string? Resolve(string name, IReadOnlyDictionary<string, string?> environment) =>
        ProgramPath.Find(name, environment.TryGetValue("PATH", out var p) ? p : null);

    /// <summary>--bazel naming a file that exists but cannot run says so, instead of "not found".</summary>
    private static void EnsureExecutable(string given)
    {
        if (given.Contains('/') && File.Exists(given) && ProgramPath.Find(given) is null)
        {
            throw new ToolkitException($"--bazel={given}: {Path.GetFullPath(given)} is not executable; chmod +x it, or pass the Bazel binary's path", ExitCodes.Usage);
        }
    }
}
