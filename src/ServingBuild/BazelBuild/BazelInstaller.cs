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

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        log.Info($"downloading {release.ChecksumUrl}");
        var checksumText = await GetStringAsync(release.ChecksumUrl, cancellationToken).ConfigureAwait(false);
        var expected = release.ParseChecksumFile(checksumText);

        var temp = target + ".download-" + Environment.ProcessId;
        try
        {
            log.Info($"downloading {release.BinaryUrl}");
            using (var response = await http.GetAsync(release.BinaryUrl, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false))
            {
                EnsureOk(response, release.BinaryUrl);
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                await using var file = File.Create(temp);
                await body.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }

            BazelRelease.Verify(temp, expected);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }
            File.Move(temp, target, overwrite: true);
            log.Info($"installed Bazel {release.Version} (SHA-256 {expected[..12]}... verified): {target}");
            return target;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
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
