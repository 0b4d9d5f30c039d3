using System.Globalization;

namespace ServingBuild.Verifier;

/// <summary>The verifier's command line: --server=host:port --model-name=NAME --report=FILE and the load's size.</summary>
internal sealed record VerifierSettings(string Server, string ModelName, string Report, TimeSpan ReadyTimeout, int LatencyCalls, int Callers, TimeSpan ThroughputTime)
{
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
        return new VerifierSettings(
            Required("server"),
            values.GetValueOrDefault("model-name", "half_plus_two"),
            Required("report"),
            TimeSpan.FromSeconds(Number("ready-timeout", 60)),
            (int)Number("latency-calls", 1000),
            (int)Number("callers", 16),
            TimeSpan.FromSeconds(Number("throughput-seconds", 3)));
    }
}
