using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;

namespace TensorFlowServing.Client.Tests;

public sealed class ServingClientTests
{
    [Theory]
    [InlineData("localhost:8500", "http://localhost:8500/")]
    [InlineData("http://10.0.0.1:9000", "http://10.0.0.1:9000/")]
    [InlineData("https://serving.example:443", "https://serving.example/")]
    public void Addresses_default_to_http(string given, string expected) =>
        Assert.Equal(expected, ServingClient.Normalize(given).ToString());

    [Theory]
    [InlineData("localhost")]
    [InlineData("ftp://host:21")]
    [InlineData("")]
    public void Bad_addresses_are_refused(string given) =>
        Assert.ThrowsAny<ArgumentException>(() => ServingClient.Normalize(given));

    [Fact]
    public void A_CA_file_that_is_missing_or_not_PEM_is_refused()
    {
        Assert.Throws<FileNotFoundException>(() => new ServingClient("https://localhost:1", new ServingClientOptions { CaFile = "/nonexistent/ca.pem" }));
        var notPem = Path.GetTempFileName();
        try
        {
            File.WriteAllText(notPem, "not a certificate");
            var notCertificate = Assert.Throws<ArgumentException>(() => new ServingClient("https://localhost:1", new ServingClientOptions { CaFile = notPem }));
            Assert.Equal($"CA file {notPem} holds no PEM certificate (-----BEGIN CERTIFICATE-----); pass the CA's certificate in PEM form", notCertificate.Message);
            var notHttps = Assert.Throws<ArgumentException>(() => new ServingClient("http://localhost:1", new ServingClientOptions { CaFile = notPem }));
            Assert.StartsWith($"a CA file ({notPem}) was given for http://localhost:1/, which is not https://", notHttps.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(notPem);
        }
    }

    [Fact]
    public async Task Https_with_the_CA_file_trusts_a_server_signed_by_that_CA_only()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=servingbuild test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), [1, 2, 3, 4]);
        using var withKey = issued.CopyWithPrivateKey(serverKey);
        using var serverCert = X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);

        var caFile = Path.GetTempFileName();
        try
        {
            File.WriteAllText(caFile, ca.ExportCertificatePem());
            await using var server = await FullProtoServer.StartAsync(certificate: serverCert);
            var request = new PredictRequestBuilder("half_plus_two").Input("x", Tensor.FromFloats([4f], [1])).Build();

            using (var trusting = new ServingClient(server.Address, new ServingClientOptions { CaFile = caFile }))
            {
                var response = await trusting.PredictAsync(request);
                Assert.Equal([4f], response.Outputs["y"].ToFloats());
            }

            using var stranger = new ServingClient(server.Address, new ServingClientOptions { MaxAttempts = 1 });
            var ex = await Assert.ThrowsAsync<RpcException>(() => stranger.PredictAsync(request));
            // Grpc.Net.Client maps a failed TLS handshake to INTERNAL; the cause is the untrusted certificate.
            Assert.Equal(StatusCode.Internal, ex.StatusCode);
            Assert.IsType<System.Security.Authentication.AuthenticationException>(ex.Status.DebugException?.InnerException, exactMatch: false);
        }
        finally
        {
            File.Delete(caFile);
        }
    }
}
