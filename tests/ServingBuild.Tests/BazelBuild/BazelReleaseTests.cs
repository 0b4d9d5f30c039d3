using System.Net;
using System.Security.Cryptography;
using ServingBuild.BazelBuild;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.BazelBuild;

/// <summary>
/// --install-bazel without a network: the URLs and cache path are checked as text, and the download,
/// verification and install run against local files served by an in-process HTTP handler.
/// </summary>
public sealed class BazelReleaseTests
{
    private static readonly BazelRelease Release = new("7.4.1", "linux-x86_64");

    [Fact]
    public void Urls_and_cache_path_follow_GitHubs_release_layout()
    {
        Assert.Equal("https://github.com/bazelbuild/bazel/releases/download/7.4.1/bazel-7.4.1-linux-x86_64", Release.BinaryUrl.ToString());
        Assert.Equal("https://github.com/bazelbuild/bazel/releases/download/7.4.1/bazel-7.4.1-linux-x86_64.sha256", Release.ChecksumUrl.ToString());
        Assert.Equal("/c/bazel/7.4.1/bin/bazel", Release.CachedPath("/c"));
        Assert.Equal("/r/7.4.1/bin/bazel", Release.InstalledBinary("/r"));
    }

    [Fact]
    public void Checksum_file_must_name_this_release()
    {
        var hex = new string('a', 64);
        Assert.Equal(hex, Release.ParseChecksumFile($"{hex}  bazel-7.4.1-linux-x86_64\n"));
        Assert.Equal(hex, Release.ParseChecksumFile(hex.ToUpperInvariant()));
        Assert.Throws<BazelDownloadException>(() => Release.ParseChecksumFile($"{hex}  bazel-7.4.0-linux-x86_64"));
        Assert.Throws<BazelDownloadException>(() => Release.ParseChecksumFile("<html>Not Found</html>"));
    }

    [Fact]
    public async Task Installs_a_verified_binary_into_the_cache_and_makes_it_executable()
    {
        using var dir = new TempDir();
        var body = "#!/bin/sh\necho bazel 7.4.1\n"u8.ToArray();
        var sha = Convert.ToHexStringLower(SHA256.HashData(body));
        using var http = new HttpClient(new LocalFiles(new()
        {
            [Release.BinaryUrl.ToString()] = body,
            [Release.ChecksumUrl.ToString()] = System.Text.Encoding.ASCII.GetBytes($"{sha}  {Release.FileName}\n"),
        }));
        var path = await new BazelInstaller(http, Require.Log()).InstallAsync(Release, dir.Path, CancellationToken.None);
        Assert.Equal(Release.InstalledBinary(dir.Path), path);
        Assert.True(BazelInstaller.IsInstalled(Release, dir.Path));
        Assert.Equal(body, await File.ReadAllBytesAsync(path));
        Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(path).HasFlag(UnixFileMode.UserExecute));
    }

    [Fact]
    public async Task A_tampered_download_is_refused_and_leaves_nothing_behind()
    {
        using var dir = new TempDir();
        var sha = Convert.ToHexStringLower(SHA256.HashData("the real binary"u8.ToArray()));
        using var http = new HttpClient(new LocalFiles(new()
        {
            [Release.BinaryUrl.ToString()] = "#!/bin/sh\nrm -rf ~\n"u8.ToArray(),
            [Release.ChecksumUrl.ToString()] = System.Text.Encoding.ASCII.GetBytes($"{sha}  {Release.FileName}\n"),
        }));
        var ex = await Assert.ThrowsAsync<BazelDownloadException>(() => new BazelInstaller(http, Require.Log()).InstallAsync(Release, dir.Path, CancellationToken.None));
        Assert.Contains("does not match", ex.Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task A_missing_release_names_the_url_and_the_fix()
    {
        using var dir = new TempDir();
        using var http = new HttpClient(new LocalFiles([]));
        var ex = await Assert.ThrowsAsync<BazelDownloadException>(() => new BazelInstaller(http, Require.Log()).InstallAsync(Release, dir.Path, CancellationToken.None));
        Assert.Contains("404", ex.Message);
        Assert.Contains("--bazel=PATH", ex.Message);
    }

    [Fact]
    public async Task A_folder_that_is_not_ours_is_never_replaced()
    {
        using var dir = new TempDir();
        var theirs = dir.Write("7.4.1/bin/bazel", "someone else's\n");
        using var http = new HttpClient(new LocalFiles([]));
        var ex = await Assert.ThrowsAsync<ToolkitException>(() => new BazelInstaller(http, Require.Log()).InstallAsync(Release, dir.Path, CancellationToken.None));
        Assert.Contains("was not installed by ServingBuild", ex.Message, StringComparison.Ordinal);
        Assert.Equal("someone else's\n", File.ReadAllText(theirs));
    }

    private sealed class LocalFiles(Dictionary<string, byte[]> files) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(files.TryGetValue(request.RequestUri!.ToString(), out var body)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) }
                : new HttpResponseMessage(HttpStatusCode.NotFound) { ReasonPhrase = "Not Found" });
    }
}
