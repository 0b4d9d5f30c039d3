using System.Globalization;

namespace ServingBuild.Verifier;

/// <summary>
/// The verifier's command line: --server=host:port --model-name=NAME --report=FILE, the load's size, and the
/// user's model: --model-version, --signature-name, --request=FILE, --expect=FILE, --tolerance.
/// </summary>
internal sealed record VerifierSettings(string Server, string ModelName, string Report, TimeSpan ReadyTimeout, int LatencyCalls, int Callers, TimeSpan ThroughputTime)
{
    public long? ModelVersion { get; init; }
    public string? SignatureName { get; init; }
    public string? RequestFile { get; init; }
    public string? ExpectFile { get; init; }
    public double Tolerance { get; init; } = 1e-6;

    public static VerifierSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var arg in args)
        {
            var eq = arg.IndexOf('=');
            if (!arg.StartsWith("--", StringComparison.Ordinal) || eq < 0)
            {
                throw new ArgumentException($"unexpected argument '{arg}'; use --name=value");
            }

            values[arg[2..eq]] = arg[(eq + 1)..];
        }

        string Required(string name) => values.TryGetValue(name, out var v) && v.Length > 0 ? v : throw new ArgumentException($"--{name} is required");
        double Number(string name, double fallback) => values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        string? Optional(string name) => values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
        return new VerifierSettings(
            Required("server"),
            values.GetValueOrDefault("model-name", "half_plus_two"),
            Required("report"),
            TimeSpan.FromSeconds(Number("ready-timeout", 60)),
            (int)Number("latency-calls", 1000),
            (int)Number("callers", 16),
            TimeSpan.FromSeconds(Number("throughput-seconds", 3)))
        {
            ModelVersion = Optional("model-version") is { } v ? long.Parse(v, NumberStyles.None, CultureInfo.InvariantCulture) : null,
            SignatureName = Optional("signature-name"),
            RequestFile = Optional("request"),
            ExpectFile = Optional("expect"),
            Tolerance = Number("tolerance", 1e-6),
        };
    }
}
