extern alias full;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Server = full::HalfPlusTwoServer;

namespace TensorFlowServing.Client.Tests;

/// <summary>
/// The server generated from the FULL serving-mini protos (five RPCs), hosted in-process on 127.0.0.1 with
/// Kestrel, serving half_plus_two. The client under test was generated from the stripped protos.
/// </summary>
public sealed class FullProtoServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DirectoryInfo _modelDir;

    private FullProtoServer(WebApplication app, DirectoryInfo modelDir, int port, bool tls)
    {
        _app = app;
        _modelDir = modelDir;
        Port = port;
        Address = $"{(tls ? "https" : "http")}://{(tls ? "localhost" : "127.0.0.1")}:{port}";
    }

    public int Port { get; }

    public int PredictCalls => _app.Services.GetRequiredService<Server.ModelState>().PredictCalls;
    public string Address { get; }

    public static async Task<FullProtoServer> StartAsync(int port = 0, string? fault = null, X509Certificate2? certificate = null)
    {
        var modelDir = Directory.CreateTempSubdirectory("half_plus_two-");
        Directory.CreateDirectory(Path.Combine(modelDir.FullName, "123"));
        var settings = new Server.ServerSettings(port, "half_plus_two", modelDir.FullName, fault, LoadDelayMs: 0);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<Server.ModelState>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, o =>
        {
            o.Protocols = HttpProtocols.Http2;
            if (certificate is not null)
            {
                o.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        app.MapGrpcService<Server.PredictionServiceImpl>();
        await app.StartAsync();

        var model = app.Services.GetRequiredService<Server.ModelState>();
        model.StartLoading();
        for (var i = 0; i < 200 && !model.Loaded; i++)
        {
            await Task.Delay(10);
        }

        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return new FullProtoServer(app, modelDir, bound, certificate is not null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _modelDir.Delete(recursive: true);
    }
}
