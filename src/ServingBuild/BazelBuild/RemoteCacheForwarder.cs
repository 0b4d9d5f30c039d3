using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.BazelBuild;

/// <summary>
/// A loopback HTTP forwarder for an HTTP(S) remote cache that needs credentials. Bazel writes its whole
/// command line to java.log and command.log under its output base and shows it in `ps`, so a header or
/// password given to Bazel is on disk for good; no Bazel version keeps --remote_header out of those logs.
/// Instead Bazel gets http://127.0.0.1:PORT/TOKEN (a random, unguessable path, valid only while this build
/// runs), and this forwarder adds the headers and the URL's credentials to each request it passes to the
/// real cache. Bazel's HTTP cache protocol is plain GET, HEAD and PUT of /ac/HASH and /cas/HASH.
/// </summary>
public sealed class RemoteCacheForwarder : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly HttpClient _client;
    private readonly string _upstreamBase;
    private readonly string _localPath;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _headers;
    private readonly AuthenticationHeaderValue? _basic;
    private readonly TaskLog _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private RemoteCacheForwarder(HttpListener listener, string localUrl, string localPath, string upstream, IReadOnlyList<KeyValuePair<string, string>> headers, AuthenticationHeaderValue? basic, TaskLog log)
    {
        _listener = listener;
        LocalUrl = localUrl;
        _localPath = localPath;
        _upstreamBase = UrlCredentials.Strip(upstream).TrimEnd('/');
        _headers = headers;
        _basic = basic;
        _log = log;
        // No redirects followed: the credentials must go to the cache the user named and nowhere else.
        _client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromMinutes(30) };
        _loop = Task.Run(AcceptAsync);
    }

    /// <summary>The URL Bazel is given: loopback, a free port and a random path; it carries no secret.</summary>
    public string LocalUrl { get; }

    /// <summary>Requests forwarded so far (for the log line at the end).</summary>
    public int Forwarded => _forwarded;

    private int _forwarded;

    /// <summary>
    /// Starts a forwarder when an http(s) cache needs credentials (headers, or user-info in its URL);
    /// null when Bazel can be given the URL as it is.
    /// </summary>
    public static RemoteCacheForwarder? StartIfNeeded(string? remoteCache, IReadOnlyList<string> headerLines, TaskLog log)
    {
        if (!IsNeeded(remoteCache, headerLines))
        {
            return null;
        }

        var headers = headerLines.Select(h => new KeyValuePair<string, string>(h[..h.IndexOf('=')], h[(h.IndexOf('=') + 1)..])).ToList();
        var basic = UrlCredentials.UserInfo(remoteCache) is { } info
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(info)))
            : null;
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        log.AddSecret(token);
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort.Pick();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/{token}/");
            try
            {
                listener.Start();
                return new RemoteCacheForwarder(listener, $"http://127.0.0.1:{port}/{token}", "/" + token, remoteCache, headers, basic, log);
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                // The port was taken between picking and binding: pick another.
                listener.Close();
            }
            catch (HttpListenerException ex)
            {
                listener.Close();
                throw new ToolkitException($"cannot start the loopback forwarder for the remote cache ({ex.Message}); check that 127.0.0.1 is usable", ExitCodes.StageFailed, ex);
            }
        }
    }

    /// <summary>True for an http(s) cache with headers or user-info: the cases a forwarder stands in for.</summary>
    public static bool IsNeeded([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? remoteCache, IReadOnlyList<string> headerLines) =>
        remoteCache is not null
        && (remoteCache.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || remoteCache.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        && (headerLines.Count > 0 || UrlCredentials.UserInfo(remoteCache) is not null);

    /// <summary>What a dry run shows in place of the forwarder's URL.</summary>
    public const string DryRunUrl = "http://127.0.0.1:<port>/<random>";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
            // Stopping the listener ends the accept loop this way.
        }

        _listener.Close();
        _client.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => ForwardAsync(context));
        }
    }

    private async Task ForwardAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            var raw = request.RawUrl ?? "/";
            if (!raw.StartsWith(_localPath + "/", StringComparison.Ordinal))
            {
                response.StatusCode = 404;
                return;
            }

            var target = new Uri(_upstreamBase + raw[_localPath.Length..]);
            using var message = new HttpRequestMessage(new HttpMethod(request.HttpMethod), target);
            if (request.HasEntityBody)
            {
                var content = new StreamContent(request.InputStream, 1 << 16);
                if (request.ContentLength64 >= 0)
                {
                    content.Headers.ContentLength = request.ContentLength64;
                }

                if (request.ContentType is { Length: > 0 } type)
                {
                    content.Headers.TryAddWithoutValidation("Content-Type", type);
                }

                message.Content = content;
            }

            foreach (var (name, value) in _headers)
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }

            if (_basic is not null && message.Headers.Authorization is null)
            {
                message.Headers.Authorization = _basic;
            }

            using var upstream = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, _stop.Token).ConfigureAwait(false);
            Interlocked.Increment(ref _forwarded);
            response.StatusCode = (int)upstream.StatusCode;
            if (upstream.Content.Headers.ContentLength is { } length)
            {
                response.ContentLength64 = length;
            }
            else if (request.HttpMethod != "HEAD")
            {
                response.SendChunked = true;
            }

            if (upstream.Content.Headers.ContentType is { } contentType)
            {
                response.ContentType = contentType.ToString();
            }

            if (request.HttpMethod != "HEAD")
            {
                await using var body = await upstream.Content.ReadAsStreamAsync(_stop.Token).ConfigureAwait(false);
                await body.CopyToAsync(response.OutputStream, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or HttpListenerException or OperationCanceledException or UriFormatException)
        {
            // Bazel treats a failed cache request as a miss (or retries); the reason goes to the log, masked.
            _log.Detail(_log.Redact($"remote cache forwarder: {request.HttpMethod} {request.RawUrl}: {ex.Message}"));
            try
            {
                response.StatusCode = 502;
            }
            catch (InvalidOperationException)
            {
                // Headers already sent: closing the connection is all that is left.
            }
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                // The client went away.
            }
        }
    }
}
