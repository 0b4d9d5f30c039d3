using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.BazelBuild;

/// <summary>
/// Puts a Bazel release into the tools cache: downloads the binary and its .sha256, verifies, then moves it
/// into place (temp file + rename, so a failed or tampered download never leaves a runnable binary). No
/// install scripts are run.
/// </summary>
public sealed class BazelInstaller(HttpClient http, TaskLog log)
{
    public async Task<string> InstallAsync(BazelRelease release, string cacheDir, CancellationToken cancellationToken)
    {
        var target = release.CachedPath(cacheDir);
        if (File.Exists(target))
        {
            log.Info($"Bazel {release.Version} already in the tools cache: {target}");
            return target;
        }

        Files.AtomicFile.EnsureFolder(Path.GetDirectoryName(target)!);
        log.Info($"downloading {release.ChecksumUrl}");
        var checksumText = await GetStringAsync(release.ChecksumUrl, cancellationToken).ConfigureAwait(false);
        var expected = release.ParseChecksumFile(checksumText);

        log.Info($"downloading {release.BinaryUrl}");
        using (var response = await http.GetAsync(release.BinaryUrl, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false))
        {
            EnsureOk(response, release.BinaryUrl);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            // Checked before the rename: a download that does not match never takes the target's place.
            await Files.AtomicFile.WriteAsync(target, (file, ct) => body.CopyToAsync(file, ct), Files.AtomicFile.ExecutableMode, cancellationToken,
                temp => BazelRelease.Verify(temp, expected)).ConfigureAwait(false);
        }

        log.Info($"installed Bazel {release.Version} (SHA-256 {expected[..12]}... verified): {target}");
        return target;
    }

    private async Task<string> GetStringAsync(Uri url, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
        EnsureOk(response, url);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void EnsureOk(HttpResponseMessage response, Uri url)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new BazelDownloadException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}; check the version, the network or proxy, or install Bazel by hand and pass --bazel=PATH");
        }
    }
}
