using System.Net;
using System.Net.Sockets;
using ServingBuild.Processes;

namespace ServingBuild.Tests.Support;

/// <summary>
/// Debian's nginx serving a folder read-only on a free loopback port, as a Bazel release mirror would
/// (&lt;base&gt;/&lt;version&gt;/&lt;asset&gt;). Stopped with the test.
/// </summary>
public sealed class LoopbackFileServer : IAsyncDisposable
{
    private readonly TempDir _state = new("sb-nginx");
    private readonly RunningProcess _nginx;

    private LoopbackFileServer(string root, ITestOutputHelper output)
    {
        var nginx = Require.Program("nginx", "nginx-extras");
        Port = FreePort.Pick();
        var state = _state.Path;
        var conf = _state.Write("nginx.conf", $$"""
            user root;
            daemon off;
            worker_processes 1;
            pid {{state}}/nginx.pid;
            error_log {{state}}/error.log;
            events { worker_connections 64; }
            http {
                client_body_temp_path {{state}}/body;
                proxy_temp_path {{state}}/proxy;
                fastcgi_temp_path {{state}}/fastcgi;
                uwsgi_temp_path {{state}}/uwsgi;
                scgi_temp_path {{state}}/scgi;
                access_log {{state}}/access.log;
                default_type application/octet-stream;
                server {
                    listen 127.0.0.1:{{Port}};
                    root {{root}};
                }
            }
            """);
        _nginx = new ProcessRunner(Require.Log(output)).Start(new ProcessSpec(nginx, "-c", conf, "-p", state) { Timeout = TimeSpan.FromMinutes(20) });
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>The requests nginx answered, as its access log has them ("GET /7.4.1/bazel-7.4.1-linux-x86_64 HTTP/1.1" 200).</summary>
    public string[] AccessLog() => File.Exists(_state.Combine("access.log")) ? File.ReadAllLines(_state.Combine("access.log")) : [];

    public static async Task<LoopbackFileServer> StartAsync(string root, ITestOutputHelper output)
    {
        var server = new LoopbackFileServer(root, output);
        for (var i = 0; i < 100; i++)
        {
            if (server._nginx.HasExited)
            {
                Assert.Fail("nginx exited at start: " + string.Join('\n', (await server._nginx.Completion).Tail));
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, server.Port);
                return server;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        Assert.Fail($"nginx did not listen on 127.0.0.1:{server.Port} within 10 s");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _nginx.StopAsync();
        _state.Dispose();
    }
}
