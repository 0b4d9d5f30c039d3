using System.Net;
using HalfPlusTwoServer;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// tensorflow_model_server's flags (--port, --model_name, --model_base_path; --rest_api_port is accepted and
// ignored) plus the test switches --fault=exit-at-start|wrong-answer|never-ready|slow|unavailable-twice|unavailable-always and --load-delay-ms=N.
ServerSettings settings;
try
{
    settings = ServerSettings.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine("error: " + ex.Message);
    return 2;
}

if (settings.Fault == "exit-at-start")
{
    Console.Error.WriteLine("error: refusing to start (--fault=exit-at-start)");
    return 3;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.Services.AddGrpc();
builder.Services.AddSingleton(settings);
builder.Services.AddSingleton<ModelState>();
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Any, settings.Port, o => o.Protocols = HttpProtocols.Http2));

var app = builder.Build();
app.MapGrpcService<PredictionServiceImpl>();
try
{
    await app.StartAsync();
}
catch (IOException ex)
{
    Console.Error.WriteLine($"error: cannot listen on 0.0.0.0:{settings.Port}: {ex.Message}");
    return 1;
}

Console.WriteLine($"Running gRPC ModelServer at 0.0.0.0:{settings.Port} ...");
app.Services.GetRequiredService<ModelState>().StartLoading();
await app.WaitForShutdownAsync();
Console.WriteLine("Server stopped");
return 0;
