using ServingBuild.Files;
using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.BazelBuild;

/// <summary>
/// Puts a Bazel release into its own folder, &lt;root&gt;/&lt;v&gt;/bin/bazel: downloads the asset and its .sha256 into a
/// temporary folder, verifies it, and only then installs (the plain binary copied in, the installer run with
/// --prefix=&lt;root&gt;/&lt;v&gt;). A wrong checksum, a 404 or a cut-short download installs nothing. The folder carries a
/// marker (<see cref="MarkerName"/>): a folder without one is not ours and is never replaced, and a folder with a
/// complete marker and its binary makes a second run a no-op. The Provision step's bash does the same, with the
/// same marker, so either installer recognises the other's work.
/// </summary>
public sealed class BazelInstaller(HttpClient http, TaskLog log, ProcessRunner? runner = null)
{
    /// <summary>The file in &lt;root&gt;/&lt;v&gt; that says ServingBuild installed it: asset= and sha256= lines once complete.</summary>
    public const string MarkerName = ".servingbuild-bazel";

    private readonly ProcessRunner _runner = runner ?? new ProcessRunner(log);

    /// <summary>True when &lt;root&gt;/&lt;v&gt; holds a complete install of ours.</summary>
    public static bool IsInstalled(BazelRelease release, string root) =>
        File.Exists(release.InstalledBinary(root)) && ReadMarker(release.InstallDir(root)).Any(l => l.StartsWith("sha256=", StringComparison.Ordinal));

    public async Task<string> InstallAsync(BazelRelease release, string root, CancellationToken cancellationToken)
    {
        var dir = release.InstallDir(root);
        var binary = release.InstalledBinary(root);
        if (IsInstalled(release, root))
        {
            log.Info(BazelBuildLines.AlreadyInstalled(release.Version, binary));
            return binary;
        }

        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any() && !File.Exists(Path.Combine(dir, MarkerName)))
        {
            throw new ToolkitException($"{dir} exists and was not installed by ServingBuild (no {MarkerName}); move it away, or pass --bazel={binary} if it is the Bazel you want", ExitCodes.Prerequisite);
        }

        AtomicFile.EnsureFolder(root);
        var staging = Path.Combine(root, $"{AtomicFile.TemporaryPrefix}{Environment.ProcessId}-bazel-{release.Version}");
        Directory.CreateDirectory(staging);
        try
        {
            log.Info($"downloading {release.ChecksumUrl}");
            var expected = release.ParseChecksumFile(await GetStringAsync(release.ChecksumUrl, cancellationToken).ConfigureAwait(false));
            var asset = Path.Combine(staging, release.FileName);
            log.Info($"downloading {release.AssetUrl}");
            await DownloadAsync(release.AssetUrl, asset, cancellationToken).ConfigureAwait(false);
            BazelRelease.Verify(asset, expected);

            // Verified: from here on the folder is replaced (it is missing, empty, or a partial install of ours).
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }

            Directory.CreateDirectory(dir);
            AtomicFile.WriteAllText(Path.Combine(dir, MarkerName), $"installing {release.FileName}\n");
            if (release.Kind == BazelAssetKind.Binary)
            {
                AtomicFile.CopyFrom(asset, binary, (UnixFileMode)0b111_101_101);
            }
            else
            {
                await RunInstallerAsync(release, asset, dir, binary, cancellationToken).ConfigureAwait(false);
            }

            AtomicFile.WriteAllText(Path.Combine(dir, MarkerName), $"asset={release.FileName}\nsha256={expected}\nfrom={release.AssetUrl}\n");
            log.Info(BazelBuildLines.Installed(release.Version, release.FileName, expected[..12], binary));
            return binary;
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    private async Task RunInstallerAsync(BazelRelease release, string installer, string dir, string binary, CancellationToken cancellationToken)
    {
        if (release.NeedsJdk8)
        {
            log.Info($"Bazel {release.Version} comes as an installer; Bazel of this era runs on a JDK 8 (java on PATH or JAVA_HOME)");
        }

        var result = await _runner.RunAsync(
            new ProcessSpec("bash", installer, "--prefix=" + dir) { Timeout = TimeSpan.FromMinutes(10) },
            line => log.Detail("  " + line),
            cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded || !File.Exists(binary))
        {
            var last = result.Tail.LastOrDefault(l => !string.IsNullOrWhiteSpace(l))?.Trim() ?? "no output";
            throw new BazelDownloadException($"the Bazel {release.Version} installer failed (exit {result.ExitCode}, no {binary}): {last}; it needs bash and unzip (and a JDK 8 for this era); fix that and run again");
        }
    }

    private async Task<string> GetStringAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
            EnsureOk(response, url);
            return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw Failed(url, ex);
        }
    }

    private async Task DownloadAsync(Uri url, string path, CancellationToken cancellationToken)
    {
        long written;
        long? announced;
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            EnsureOk(response, url);
            announced = response.Content.Headers.ContentLength;
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            await body.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            written = file.Length;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw Failed(url, ex);
        }

        if (announced is { } length && length != written)
        {
            throw new BazelDownloadException($"{url}: the download was cut short ({written} of {length} bytes); nothing was installed; run again, or check --bazel-mirror, the network or proxy");
        }
    }

    private static BazelDownloadException Failed(Uri url, Exception ex)
    {
        var why = ex.Message.ReplaceLineEndings(" ").Trim();
        var cut = ex is IOException || ex.InnerException is IOException;
        return new BazelDownloadException(cut
            ? $"{url}: the download was cut short ({why}); nothing was installed; run again, or check --bazel-mirror, the network or proxy"
            : $"cannot download {url} ({why}); nothing was installed; check --bazel-mirror, the network or proxy, or install Bazel by hand and pass --bazel=PATH");
    }

    private static void EnsureOk(HttpResponseMessage response, Uri url)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new BazelDownloadException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}; nothing was installed; check the version and --bazel-mirror, or install Bazel by hand and pass --bazel=PATH");
        }
    }

    private static IEnumerable<string> ReadMarker(string dir)
    {
        var marker = Path.Combine(dir, MarkerName);
        return File.Exists(marker) ? File.ReadLines(marker) : [];
    }
}
