using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Polly;
using Polly.Retry;
using Tensorflow.Serving;

namespace TensorFlowServing.Client;

/// <summary>
/// A thin client for TensorFlow Serving's PredictionService: one channel, Predict with a deadline and
/// cancellation, and retries on UNAVAILABLE (Polly's retry strategy, exponential backoff with jitter, all
/// attempts within the call's one deadline), so a server that is restarting or not yet listening is retried
/// while other errors come straight back. Predict and GetModelStatus are idempotent, so a retry is safe.
/// Addresses: http://host:port (HTTP/2 without TLS, as tensorflow_model_server serves), https://host:port
/// (system roots, or the CA in <see cref="ServingClientOptions.CaFile"/>), or plain host:port (http).
/// </summary>
public sealed partial class ServingClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly TimeSpan _defaultTimeout;
    private readonly ResiliencePipeline? _retry;

    public ServingClient(string address, ServingClientOptions? options = null)
    {
        options ??= new ServingClientOptions();
        Address = Normalize(address);
        _defaultTimeout = options.DefaultTimeout;
        _channel = GrpcChannel.ForAddress(Address, ChannelOptions(Address, options));
        _retry = RetryPipeline(options);
        Stub = new PredictionService.PredictionServiceClient(_channel);
    }

    public Uri Address { get; }

    /// <summary>The generated stub, for calls this class does not wrap (headers, call options); its calls are not retried.</summary>
    public PredictionService.PredictionServiceClient Stub { get; }

    /// <summary>Calls Predict. Throws <see cref="RpcException"/> with the server's status (NOT_FOUND, INVALID_ARGUMENT, ...) on failure.</summary>
    public Task<PredictResponse> PredictAsync(PredictRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var deadline = DateTime.UtcNow + (timeout ?? _defaultTimeout);
        return CallAsync(
            static (client, request, deadline, cancellationToken) => client.Stub.PredictAsync(request, deadline: deadline, cancellationToken: cancellationToken),
            request,
            deadline,
            _retry,
            cancellationToken);
    }

    // One unary call, and again on UNAVAILABLE while attempts are left (retry: the client's pipeline, or null for
    // callers that are a retry loop themselves). The first attempt runs directly: a call
    // that succeeds (nearly all of them) pays for no retry machinery. A failed one is handed to Polly's retry
    // strategy as its first outcome, so the backoff before the second attempt is Polly's too. Every attempt
    // shares the caller's deadline, so retries never stretch a call past it.
    private async Task<TResponse> CallAsync<TRequest, TResponse>(
        Func<ServingClient, TRequest, DateTime, CancellationToken, AsyncUnaryCall<TResponse>> start,
        TRequest request,
        DateTime deadline,
        ResiliencePipeline? retry,
        CancellationToken cancellationToken)
    {
        RpcException first;
        try
        {
            using var call = start(this, request, deadline, cancellationToken);
            return await call.ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException ex) when (retry is not null && ex.StatusCode == StatusCode.Unavailable && !cancellationToken.IsCancellationRequested)
        {
            first = ex;
        }

        // Polly waits between attempts on a token that also fires at the deadline, so no backoff outlasts the
        // call; each attempt itself runs on the caller's token and carries the deadline, as the first did.
        var state = new RetryState<TRequest, TResponse>(this, start, request, deadline, cancellationToken, first);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var left = deadline - DateTime.UtcNow;
        bounded.CancelAfter(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        try
        {
            return await retry.ExecuteAsync(
                static async (state, _) =>
                {
                    if (state.First is { } failed)
                    {
                        state.First = null;
                        throw failed;
                    }

                    using var call = state.Start(state.Client, state.Request, state.Deadline, state.CancellationToken);
                    return await call.ResponseAsync.ConfigureAwait(false);
                },
                state,
                bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelled while waiting to retry: the same status gRPC gives a call cancelled in flight.
            throw new RpcException(new Status(StatusCode.Cancelled, "Call canceled by the client."));
        }
        catch (OperationCanceledException)
        {
            // The deadline came while waiting to retry: the status gRPC gives a call that outlived its deadline.
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"Deadline Exceeded while retrying after UNAVAILABLE: {first.Status.Detail}"));
        }
    }

    private sealed class RetryState<TRequest, TResponse>(
        ServingClient client,
        Func<ServingClient, TRequest, DateTime, CancellationToken, AsyncUnaryCall<TResponse>> start,
        TRequest request,
        DateTime deadline,
        CancellationToken cancellationToken,
        RpcException first)
    {
        public ServingClient Client { get; } = client;
        public Func<ServingClient, TRequest, DateTime, CancellationToken, AsyncUnaryCall<TResponse>> Start { get; } = start;
        public TRequest Request { get; } = request;
        public DateTime Deadline { get; } = deadline;
        public CancellationToken CancellationToken { get; } = cancellationToken;
        public RpcException? First { get; set; } = first;
    }

    // Retries after the first attempt: MaxAttempts - 1 of them, exponential backoff from InitialBackoff capped at
    // MaxBackoff, with jitter so that many clients of a restarting server do not retry in step.
    private static ResiliencePipeline? RetryPipeline(ServingClientOptions options)
    {
        if (options.MaxAttempts <= 1)
        {
            return null;
        }

        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<RpcException>(ex => ex.StatusCode == StatusCode.Unavailable),
                MaxRetryAttempts = options.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.InitialBackoff,
                MaxDelay = options.MaxBackoff,
            })
            .Build();
    }

    public void Dispose() => _channel.Dispose();

    internal static Uri Normalize(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var text = address.Contains("://", StringComparison.Ordinal) ? address : "http://" + address;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.IsDefaultPort && !address.Contains("://", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{address}' is not a server address; use host:port, http://host:port or https://host:port", nameof(address));
        }

        return uri;
    }

    private static GrpcChannelOptions ChannelOptions(Uri address, ServingClientOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            // Many concurrent calls on one channel: let gRPC open more HTTP/2 connections past the stream limit.
            EnableMultipleHttp2Connections = true,
            // gRPC has no redirects and no cookies: without them two handler layers drop out of every call.
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        if (options.DedicatedReader)
        {
            handler.ConnectCallback = BlockingSocketStream.ConnectAsync;
        }

        if (options.CaFile is { } caFile)
        {
            if (address.Scheme != "https")
            {
                throw new ArgumentException($"a CA file ({caFile}) was given for {address}, which is not https://; use https:// or drop the CA file");
            }

            var authorities = LoadAuthorities(caFile);
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustedBy(authorities, certificate, errors),
            };
        }

        return new GrpcChannelOptions
        {
            // With its own connection the handler goes in as an HttpClient: gRPC's balancer would otherwise put
            // its own connect in place. The channel disposes it, and with it the connection and its thread.
            HttpHandler = options.DedicatedReader ? null : handler,
            HttpClient = options.DedicatedReader ? new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan } : null,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = options.MaxReceiveMessageSize,
            MaxSendMessageSize = options.MaxSendMessageSize,
        };
    }

    private static X509Certificate2Collection LoadAuthorities(string caFile)
    {
        if (!File.Exists(caFile))
        {
            throw new FileNotFoundException($"CA file {caFile} does not exist; pass the PEM file of the CA that signed the server's certificate", caFile);
        }

        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(caFile);
        if (authorities.Count == 0)
        {
            throw new ArgumentException($"CA file {caFile} holds no PEM certificate (-----BEGIN CERTIFICATE-----); pass the CA's certificate in PEM form");
        }

        return authorities;
    }

    // Trusts a server certificate that chains to one of the given CAs; the host name must still match.
    private static bool TrustedBy(X509Certificate2Collection authorities, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (certificate is X509Certificate2 full)
        {
            return chain.Build(full);
        }

        using var loaded = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(loaded);
    }
}
