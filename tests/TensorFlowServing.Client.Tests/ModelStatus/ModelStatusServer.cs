using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TensorFlowServing.Client.Tests.ModelStatus;

/// <summary>
/// An in-process gRPC server on 127.0.0.1 (Kestrel, HTTP/2 without TLS, as tensorflow_model_server serves)
/// hosting a <see cref="ScriptedModelService"/>, or no ModelService at all (a server that predates it).
/// </summary>
public sealed class ModelStatusServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ModelStatusServer(WebApplication app, int port)
    {
        _app = app;
        Address = $"http://127.0.0.1:{port}";
    }

    public string Address { get; }

    public static async Task<ModelStatusServer> StartAsync(ScriptedModelService? service, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        // A call left hanging by a test must not hold the test run for Kestrel's default shutdown wait.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        if (service is not null)
        {
            builder.Services.AddSingleton(service);
        }

        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        if (service is not null)
        {
            app.MapGrpcService<ScriptedModelService>();
        }

        await app.StartAsync();
        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return new ModelStatusServer(app, bound);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
