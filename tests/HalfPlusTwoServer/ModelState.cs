namespace HalfPlusTwoServer;

/// <summary>
/// Whether the model is loaded. Like the real server, requests get NOT_FOUND until a version directory under
/// --model_base_path has been found and "loaded" (after --load-delay-ms).
/// </summary>
public sealed class ModelState(ServerSettings settings)
{
    private volatile bool _loaded;

    public bool Loaded => _loaded;

    public long Version { get; private set; }

    private int _predictCalls;

    /// <summary>Predict calls received so far (the retry tests count attempts with it).</summary>
    public int PredictCalls => _predictCalls;

    /// <summary>Counts a Predict call and returns its number, starting at 1.</summary>
    public int CountPredict() => Interlocked.Increment(ref _predictCalls);

    public void StartLoading() => _ = Task.Run(async () =>
    {
        if (settings.Fault == "never-ready")
        {
            return;
        }

        var version = Directory.Exists(settings.ModelBasePath)
            ? Directory.EnumerateDirectories(settings.ModelBasePath).Select(Path.GetFileName).Select(n => long.TryParse(n, out var v) ? v : -1).DefaultIfEmpty(-1).Max()
            : -1;
        if (version < 0)
        {
            Console.Error.WriteLine($"No versions of servable {settings.ModelName} found under base path {settings.ModelBasePath}");
            return;
        }

        await Task.Delay(settings.LoadDelayMs);
        Version = version;
        _loaded = true;
        Console.WriteLine($"Successfully loaded servable version {{name: {settings.ModelName} version: {version}}}");
    });
}
