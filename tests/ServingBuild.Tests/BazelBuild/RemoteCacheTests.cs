using System.Net;
using System.Net.Sockets;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.BazelBuild;

/// <summary>
/// --remote-cache against a real HTTP cache: Debian's nginx with WebDAV PUT on a loopback port. After a
/// build fills it, `bazel clean --expunge` and an empty disk cache leave nothing local, so the rebuild's
/// hits can only come from nginx.
/// </summary>
[Collection(BazelCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RemoteCacheTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Rebuild_after_expunge_is_served_from_the_remote_cache_and_the_header_stays_secret()
    {
        Require.Program("bazel", "bazel-bootstrap");
        var nginx = Require.Program("nginx", "nginx-extras");
        using var scratch = new ScratchWorkspace();
        using var web = new TempDir("servingbuild-nginx");
        var port = FreePort.Pick();
        Directory.CreateDirectory(web.Combine("data", "cache"));
        var conf = web.Write("nginx.conf", $$"""
            # Bazel's HTTP remote cache protocol is GET and PUT of /ac/<hash> and /cas/<hash>.
            user root;
            daemon off;
            worker_processes 1;
            pid {{web.Path}}/nginx.pid;
            error_log {{web.Path}}/error.log;
            events { worker_connections 128; }
            http {
                client_body_temp_path {{web.Path}}/body;
                proxy_temp_path {{web.Path}}/proxy;
                fastcgi_temp_path {{web.Path}}/fastcgi;
                uwsgi_temp_path {{web.Path}}/uwsgi;
                scgi_temp_path {{web.Path}}/scgi;
                log_format withauth '$request_method $uri $status auth=$http_authorization';
                access_log {{web.Path}}/access.log withauth;
                server {
                    listen 127.0.0.1:{{port}};
                    client_max_body_size 0;
                    location /cache/ {
                        root {{web.Path}}/data;
                        dav_methods PUT;
                        create_full_put_path on;
                        dav_access user:rw group:r all:r;
                    }
                }
            }
            """);
        var server = new ProcessRunner(Require.Log(output)).Start(new ProcessSpec(nginx, "-c", conf, "-p", web.Path) { Timeout = TimeSpan.FromMinutes(30) });
        try
        {
            await WaitForPort(port, server);
            var token = "Bearer test-" + Guid.NewGuid().ToString("N");
            var env = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
            env["SERVINGBUILD_REMOTE_HEADERS"] = "Authorization=" + token;
            var url = $"--remote-cache=http://127.0.0.1:{port}/cache";

            using var firstCache = new TempDir();
            var first = await scratch.BuildAsync(output, firstCache.Path, env, url);
            output.WriteLine($"cold build with an empty remote cache: {first.Elapsed.TotalSeconds:0.0}s, {first.Summary}");
            Assert.NotEmpty(Directory.GetFiles(web.Combine("data", "cache", "ac")));
            Assert.NotEmpty(Directory.GetFiles(web.Combine("data", "cache", "cas")));

            var expunge = await scratch.BazelAsync("clean", "--expunge");
            Assert.True(expunge.Succeeded, string.Join('\n', expunge.Tail));

            using var secondCache = new TempDir();
            var second = await scratch.BuildAsync(output, secondCache.Path, env, url);
            var summary = second.Summary!;
            output.WriteLine($"rebuild after clean --expunge: {second.Elapsed.TotalSeconds:0.0}s, {summary.RemoteCacheHits} of {summary.Actions} actions from the remote cache ({summary.RemoteHitPercent:0.0}%)");
            Assert.True(summary.RemoteHitPercent >= 90, $"only {summary.RemoteHitPercent:0.0}% remote cache hits: {summary}");
            Assert.True(File.Exists(second.BinaryPath));

            // The header reached nginx, and no log of ours holds it.
            Assert.Contains("auth=" + token, File.ReadAllText(web.Combine("access.log")));
            var bazelLog = File.ReadAllText(scratch.BazelLog);
            var taskLog = File.ReadAllText(scratch.TaskLogPath);
            Assert.DoesNotContain("--remote_header", bazelLog);
            Assert.DoesNotContain(token, bazelLog);
            Assert.DoesNotContain(token, taskLog);
        }
        finally
        {
            await server.StopAsync();
        }
    }

    private static async Task WaitForPort(int port, RunningProcess server)
    {
        for (var i = 0; i < 100; i++)
        {
            if (server.HasExited)
            {
                Assert.Fail("nginx exited at start: " + string.Join('\n', (await server.Completion).Tail));
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        Assert.Fail($"nginx did not listen on 127.0.0.1:{port} within 10 s");
    }
}
