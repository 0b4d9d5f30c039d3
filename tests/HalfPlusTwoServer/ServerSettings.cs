using System.Globalization;

namespace HalfPlusTwoServer;

/// <summary>The command line: tensorflow_model_server's flags plus the failure switches the tests use.</summary>
public sealed record ServerSettings(int Port, string ModelName, string ModelBasePath, string? Fault, int LoadDelayMs)
{
    public static ServerSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var arg in args)
        {
            var eq = arg.IndexOf('=');
            if (!arg.StartsWith("--", StringComparison.Ordinal) || eq < 0)
            {
                throw new ArgumentException($"unexpected argument '{arg}'; flags look like --name=value");
            }

            values[arg[2..eq]] = arg[(eq + 1)..];
        }

        foreach (var key in values.Keys)
        {
            if (key is not ("port" or "rest_api_port" or "model_name" or "model_base_path" or "fault" or "load-delay-ms"))
            {
                throw new ArgumentException($"unknown flag --{key}");
            }
        }

        int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new ServerSettings(
            Int("port", 8500),
            values.GetValueOrDefault("model_name", "default"),
            values.TryGetValue("model_base_path", out var path) ? path : throw new ArgumentException("--model_base_path is required"),
            values.GetValueOrDefault("fault"),
            Int("load-delay-ms", 300));
    }
}
