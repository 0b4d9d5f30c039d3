using System.Net;
using System.Text;
using ServingBuild.BazelBuild;
using ServingBuild.Options;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.BazelBuild;

/// <summary>The loopback forwarder in-process, against a recording HTTP server standing in for the cache.</summary>
public sealed class RemoteCacheForwarderTests
{
    [Fact]
    public async Task Adds_the_headers_and_the_urls_credentials_and_gives_Bazel_a_url_without_them()
    {
        await using var cache = RecordingCache.Start();
        var url = $"http://builder:p%40ss-9f3@127.0.0.1:{cache.Port}/cache";

        await using var forwarder = RemoteCacheForwarder.StartIfNeeded(url, ["x-api-key=k-77e1"], TaskLog.Null);

        Assert.NotNull(forwarder);
        Assert.StartsWith("http://127.0.0.1:", forwarder.LocalUrl, StringComparison.Ordinal);
        foreach (var secret in new[] { "builder", "p%40ss-9f3", "p@ss-9f3", "k-77e1" })
        {
            Assert.DoesNotContain(secret, forwarder.LocalUrl, StringComparison.Ordinal);
        }

        using var bazel = new HttpClient();
        var put = await bazel.PutAsync(forwarder.LocalUrl + "/cas/abc123", new ByteArrayContent("blob"u8.ToArray()));
        var get = await bazel.GetAsync(forwarder.LocalUrl + "/cas/abc123");
        var head = await bazel.SendAsync(new HttpRequestMessage(HttpMethod.Head, forwarder.LocalUrl + "/cas/abc123"));
        var missing = await bazel.GetAsync(forwarder.LocalUrl + "/ac/nothing");

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("blob", await get.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(["PUT /cache/cas/abc123", "GET /cache/cas/abc123", "HEAD /cache/cas/abc123", "GET /cache/ac/nothing"], cache.Requests.Select(r => r.Line));
        Assert.All(cache.Requests, r =>
        {
            Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("builder:p@ss-9f3")), r.Authorization);
            Assert.Equal("k-77e1", r.ApiKey);
        });
    }

    [Fact]
    public async Task A_header_named_Authorization_wins_over_the_urls_credentials()
    {
        await using var cache = RecordingCache.Start();
        await using var forwarder = RemoteCacheForwarder.StartIfNeeded($"http://u:p@127.0.0.1:{cache.Port}/", ["Authorization=Bearer t-1"], TaskLog.Null);

        using var bazel = new HttpClient();
        await bazel.GetAsync(forwarder!.LocalUrl + "/ac/1");

        Assert.Equal("Bearer t-1", Assert.Single(cache.Requests).Authorization);
    }

    [Fact]
    public async Task A_request_outside_the_random_path_is_not_forwarded()
    {
        await using var cache = RecordingCache.Start();
        await using var forwarder = RemoteCacheForwarder.StartIfNeeded($"http://127.0.0.1:{cache.Port}/cache", ["Authorization=Bearer t-2"], TaskLog.Null);
        var port = new Uri(forwarder!.LocalUrl).Port;

        using var stranger = new HttpClient();
        var answer = await stranger.GetAsync($"http://127.0.0.1:{port}/cas/abc123");

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Empty(cache.Requests);
    }

    [Theory]
    [InlineData("grpcs://cache.example.com", "Authorization=Bearer x")]
    [InlineData("http://127.0.0.1:9/cache", null)]
    [InlineData(null, "Authorization=Bearer x")]
    public async Task No_forwarder_when_there_is_nothing_to_hide_or_it_cannot_forward(string? cache, string? header)
    {
        await using var forwarder = RemoteCacheForwarder.StartIfNeeded(cache, header is null ? [] : [header], TaskLog.Null);

        Assert.Null(forwarder);
    }

    [Fact]
    public void With_a_forwarder_Bazel_gets_its_url_and_no_header_and_the_urls_password_is_a_secret()
    {
        var env = new Dictionary<string, string?> { [BazelInvocation.RemoteHeadersVariable] = "Authorization=Bearer s3cr3t" };
        var options = OptionsParser.Parse(["--remote-cache=https://ci:hunter2@cache.example.com/x"], TestPaths.Toolkit, env);

        var invocation = BazelInvocation.For(options, new HostResources(2, 24L << 30), false, env, "http://127.0.0.1:4711/token");

        Assert.Contains("--remote_cache=http://127.0.0.1:4711/token", invocation.Arguments);
        Assert.DoesNotContain(invocation.Arguments, a => a.Contains("s3cr3t", StringComparison.Ordinal) || a.Contains("hunter2", StringComparison.Ordinal));
        Assert.Contains("hunter2", invocation.Secrets);
    }

    [Theory]
    [InlineData("http://user:pa%3Ass@host:8080/cache", "http://host:8080/cache", "pa:ss")]
    [InlineData("https://token@host/", "https://host/", "token")]
    [InlineData("grpc://host:9092", "grpc://host:9092", null)]
    public void Url_credentials_are_stripped_for_display_and_listed_as_secrets(string url, string shown, string? secret)
    {
        Assert.Equal(shown, UrlCredentials.Strip(url));
        if (secret is null)
        {
            Assert.Empty(UrlCredentials.Secrets(url));
        }
        else
        {
            Assert.Contains(secret, UrlCredentials.Secrets(url));
        }
    }

    [Fact]
    public void A_bad_remote_cache_url_is_refused_without_echoing_its_password()
    {
        var ex = Assert.Throws<OptionsException>(() => OptionsParser.Parse(["--remote-cache=ftp://me:hunter2@cache/"], TestPaths.Toolkit));

        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>A WebDAV-like cache in-process: PUT stores, GET and HEAD answer 200 or 404; every request is recorded.</summary>
    private sealed class RecordingCache : IAsyncDisposable
    {
        private readonly HttpListener _listener;
        private readonly Dictionary<string, byte[]> _blobs = [];
        private readonly List<Recorded> _requests = [];
        private readonly Task _loop;

        private RecordingCache(HttpListener listener, int port)
        {
            _listener = listener;
            Port = port;
            _loop = Task.Run(LoopAsync);
        }

        public int Port { get; }

        public IReadOnlyList<Recorded> Requests
        {
            get
            {
                lock (_requests)
                {
                    return _requests.ToList();
                }
            }
        }

        public static RecordingCache Start()
        {
            var port = FreePort.Pick();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            listener.Start();
            return new RecordingCache(listener, port);
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            try
            {
                await _loop;
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
            }

            _listener.Close();
        }

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                var request = context.Request;
                var path = request.Url!.AbsolutePath;
                lock (_requests)
                {
                    _requests.Add(new Recorded($"{request.HttpMethod} {path}", request.Headers["Authorization"], request.Headers["x-api-key"]));
                }

                var response = context.Response;
                if (request.HttpMethod == "PUT")
                {
                    using var body = new MemoryStream();
                    await request.InputStream.CopyToAsync(body);
                    _blobs[path] = body.ToArray();
                    response.StatusCode = 201;
                }
                else if (_blobs.TryGetValue(path, out var blob))
                {
                    response.ContentLength64 = blob.Length;
                    if (request.HttpMethod == "GET")
                    {
                        await response.OutputStream.WriteAsync(blob);
                    }
                }
                else
                {
                    response.StatusCode = 404;
                }

                response.Close();
            }
        }

        public sealed record Recorded(string Line, string? Authorization, string? ApiKey);
    }
}
