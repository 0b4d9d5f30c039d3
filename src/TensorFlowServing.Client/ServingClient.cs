using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using Tensorflow.Serving;

namespace TensorFlowServing.Client;

/// <summary>
/// A thin client for TensorFlow Serving's PredictionService: one channel, Predict with a deadline and
/// cancellation, and retries on UNAVAILABLE done by gRPC itself (a service-config retry policy), so a server
/// that is restarting or not yet listening is retried with backoff while other errors come straight back.
/// Addresses: http://host:port (HTTP/2 without TLS, as tensorflow_model_server serves), https://host:port
/// (system roots, or the CA in <see cref="ServingClientOptions.CaFile"/>), or plain host:port (http).
/// </summary>
public sealed partial class ServingClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly TimeSpan _defaultTimeout;

    public ServingClient(string address, ServingClientOptions? options = null)
    {
        options ??= new ServingClientOptions();
        Address = Normalize(address);
        _defaultTimeout = options.DefaultTimeout;
        _channel = GrpcChannel.ForAddress(Address, ChannelOptions(Address, options));
        Stub = new PredictionService.PredictionServiceClient(_channel);
    }

    public Uri Address { get; }

    /// <summary>The generated stub, for calls this class does not wrap (headers, call options).</summary>
    public PredictionService.PredictionServiceClient Stub { get; }

    /// <summary>Calls Predict. Throws <see cref="RpcException"/> with the server's status (NOT_FOUND, INVALID_ARGUMENT, ...) on failure.</summary>
    public async Task<PredictResponse> PredictAsync(PredictRequest request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var deadline = DateTime.UtcNow + (timeout ?? _defaultTimeout);
        using var call = Stub.PredictAsync(request, deadline: deadline, cancellationToken: cancellationToken);
        return await call.ResponseAsync.ConfigureAwait(false);
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
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };

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

        var retry = options.MaxAttempts <= 1
            ? null
            : new ServiceConfig
            {
                MethodConfigs =
                {
                    new MethodConfig
                    {
                        Names = { MethodName.Default },
                        RetryPolicy = new RetryPolicy
                        {
                            MaxAttempts = options.MaxAttempts,
                            InitialBackoff = options.InitialBackoff,
                            MaxBackoff = options.MaxBackoff,
                            BackoffMultiplier = 2,
                            RetryableStatusCodes = { StatusCode.Unavailable },
                        },
                    },
                },
            };

        return new GrpcChannelOptions
        {
            HttpHandler = handler,
            ServiceConfig = retry,
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
