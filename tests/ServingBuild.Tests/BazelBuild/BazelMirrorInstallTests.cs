using System.Net;
using System.Net.Sockets;
using System.Text;
using ServingBuild.BazelBuild;
using ServingBuild.Options;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.BazelBuild;

/// <summary>
/// --install-bazel through --bazel-mirror for real: nginx on loopback serves a release folder made on the spot from
/// Debian's Bazel, in both asset shapes, and BazelBuild (under --dry-run, so it installs and locates Bazel but builds
/// nothing) installs it into its per-version folder; the installed bazel then runs.
/// </summary>
[Trait("Category", "Integration")]
public sealed class BazelMirrorInstallTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _dir = new("sb-mirror");

    private string Cache => _dir.Combine("cache");

    [Theory]
    [InlineData("7.4.1", "bazel-7.4.1-linux-x86_64")]
    [InlineData("0.5.1", "bazel-0.5.1-installer-linux-x86_64.sh")]
    public async Task Installs_the_pinned_release_from_the_mirror_and_the_installed_bazel_runs(string version, string asset)
    {
        var releases = new BazelReleaseFolder(_dir.Combine("releases"));
        releases.Publish(version);
        await using var mirror = await LoopbackFileServer.StartAsync(releases.Root, output);
        var checkout = Checkout(version);

        var (log, found) = await InstallAsync(checkout, mirror.BaseUrl);
        var binary = Path.Combine(Cache, "bazel", version, "bin", "bazel");
        Assert.Equal(binary, found);
        Assert.Contains($"GET /{version}/{asset} HTTP/1.1\" 200", string.Join('\n', mirror.AccessLog()), StringComparison.Ordinal);
        Assert.Contains($"installed Bazel {version} ({asset}, SHA-256", log, StringComparison.Ordinal);
        Assert.Contains($"Bazel {version} at {binary} (from --install-bazel)", log, StringComparison.Ordinal);
        Assert.Contains($"(pin read from {Path.Combine(checkout, ".bazelversion")})", log, StringComparison.Ordinal);

        // The install runs, and prints what the real binary prints.
        var runner = new ProcessRunner(Require.Log(output));
        var real = await runner.RunAsync(new ProcessSpec(releases.RealBazel, "--version"));
        var installed = await runner.RunAsync(new ProcessSpec(binary, "--version"));
        Assert.True(installed.Succeeded, installed.StandardError);
        Assert.Equal(BazelReleaseFolder.VersionLine(real.StandardOutput), BazelReleaseFolder.VersionLine(installed.StandardOutput));
        Assert.StartsWith("bazel ", BazelReleaseFolder.VersionLine(installed.StandardOutput), StringComparison.Ordinal);

        // A second run downloads nothing and changes nothing.
        var requests = mirror.AccessLog().Length;
        var stamp = File.GetLastWriteTimeUtc(binary);
        var (again, _) = await InstallAsync(checkout, mirror.BaseUrl);
        Assert.Contains($"Bazel {version} already installed: {binary}", again, StringComparison.Ordinal);
        Assert.Equal(requests, mirror.AccessLog().Length);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(binary));
    }

    [Fact]
    public async Task A_wrong_checksum_is_refused_and_nothing_is_installed()
    {
        var releases = new BazelReleaseFolder(_dir.Combine("releases"));
        releases.Publish("7.4.1", wrongChecksum: true);
        await using var mirror = await LoopbackFileServer.StartAsync(releases.Root, output);

        var ex = await Assert.ThrowsAsync<BazelDownloadException>(() => InstallAsync(Checkout("7.4.1"), mirror.BaseUrl));
        output.WriteLine(ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Contains("bazel-7.4.1-linux-x86_64: SHA-256", ex.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was installed", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Prerequisite, ex.ExitCode);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(Cache, "bazel")));
    }

    [Fact]
    public async Task A_release_the_mirror_lacks_is_one_line_naming_the_url()
    {
        var releases = new BazelReleaseFolder(_dir.Combine("releases"));
        releases.Publish("7.4.1");
        await using var mirror = await LoopbackFileServer.StartAsync(releases.Root, output);

        var ex = await Assert.ThrowsAsync<BazelDownloadException>(() => InstallAsync(Checkout("6.5.0"), mirror.BaseUrl));
        output.WriteLine(ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.StartsWith($"{mirror.BaseUrl}/6.5.0/bazel-6.5.0-linux-x86_64.sha256 answered 404", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(Cache, "bazel")));
    }

    [Fact]
    public async Task A_download_cut_short_is_one_line_and_installs_nothing()
    {
        // nginx cannot be told to drop a transfer halfway, so this one mirror is a raw loopback socket: the checksum
        // answers in full, the asset announces more bytes than it sends and the connection closes.
        var body = "#!/bin/sh\necho bazel 7.4.1\n"u8.ToArray();
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var serving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                await using var stream = client.GetStream();
                var request = new StreamReader(stream, Encoding.ASCII);
                var first = await request.ReadLineAsync(stop.Token) ?? "";
                while (!string.IsNullOrEmpty(await request.ReadLineAsync(stop.Token)))
                {
                }

                var answer = first.Contains(".sha256", StringComparison.Ordinal)
                    ? Encoding.ASCII.GetBytes($"{sha}  bazel-7.4.1-linux-x86_64\n")
                    : body[..10];
                var length = first.Contains(".sha256", StringComparison.Ordinal) ? answer.Length : body.Length;
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"), stop.Token);
                await stream.WriteAsync(answer, stop.Token);
            }
        }, stop.Token);

        var ex = await Assert.ThrowsAsync<BazelDownloadException>(() => InstallAsync(Checkout("7.4.1"), $"http://127.0.0.1:{port}"));
        await stop.CancelAsync();
        output.WriteLine(ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.StartsWith($"http://127.0.0.1:{port}/7.4.1/bazel-7.4.1-linux-x86_64: the download was cut short", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(Cache, "bazel")));
    }

    private string Checkout(string version)
    {
        var checkout = _dir.Combine("checkout-" + version);
        _dir.Write($"checkout-{version}/WORKSPACE", "workspace(name = \"tf_serving\")\n");
        _dir.Write($"checkout-{version}/.bazelversion", version + "\n");
        return checkout;
    }

    private async Task<(string Log, string BazelPath)> InstallAsync(string checkout, string mirror)
    {
        var console = new StringWriter();
        using var log = new TaskLog(null, console);
        var options = OptionsParser.Parse(
            ["--serving-dir=" + checkout, "--install-bazel", "--bazel-mirror=" + mirror, "--cache-dir=" + Cache, "--dry-run"],
            TestPaths.Toolkit,
            new Dictionary<string, string?> { ["PATH"] = "/nonexistent", ["HOME"] = _dir.Path });
        try
        {
            var result = await new BazelBuildStage(new Dictionary<string, string?> { ["PATH"] = "/nonexistent" })
                .BuildAsync(new StageContext(options, TestPaths.Toolkit, log), CancellationToken.None);
            var line = console.ToString().Split('\n').First(l => l.StartsWith("$ ", StringComparison.Ordinal));
            return (console.ToString(), line[2..].Split(' ')[0].Trim('\''));
        }
        finally
        {
            output.WriteLine(console.ToString());
        }
    }

    public void Dispose() => _dir.Dispose();
}
