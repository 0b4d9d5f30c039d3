using System.Globalization;
using System.Text.Json.Serialization;
using NuGet.Versioning;

namespace ServingBuild.Protos;

/// <summary>
/// A TensorFlow Serving release (2.20.0, 2.20.0-rc1). Written and read through this one type, so the Protos stage
/// that records it and the Stubs stage that versions its package agree: a tag "v2.20" is 2.20.0 on both sides.
/// </summary>
[JsonConverter(typeof(ServingVersionJsonConverter))]
public sealed class ServingVersion : IEquatable<ServingVersion>
{
    private ServingVersion(NuGetVersion version) => Version = version;

    public NuGetVersion Version { get; }

    /// <summary>Major.minor.patch without a pre-release label: 2.20.0 for 2.20.0-rc1.</summary>
    public string Release => $"{Version.Major}.{Version.Minor}.{Version.Patch}";

    /// <summary>"2.20", "v2.20.0", "2.20.0-rc1"; null for anything else ("nightly", "2", "1.2.3.4").</summary>
    public static ServingVersion? TryParse(string? text)
    {
        var trimmed = text?.Trim().TrimStart('v', 'V');
        // Two or three numbers: a single number is not a release, and four are a NuGet legacy form serving never used.
        var core = trimmed?.Split('-', '+')[0].Split('.');
        return core is { Length: 2 or 3 } && NuGetVersion.TryParse(trimmed, out var v) ? new ServingVersion(v) : null;
    }

    /// <summary>The release a tree says it is: version.h macros, then the pip package's setup.py, then a release tag.</summary>
    public static ServingVersion? Detect(string servingDir, string? gitTag)
    {
        var header = Path.Combine(servingDir, "tensorflow_serving", "model_servers", "version.h");
        if (File.Exists(header))
        {
            var parts = new Dictionary<string, string>();
            foreach (var line in File.ReadLines(header))
            {
                var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (words.Length >= 3 && words[0] == "#define" && int.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    foreach (var key in new[] { "MAJOR", "MINOR", "PATCH" })
                    {
                        if (words[1].Contains(key, StringComparison.Ordinal))
                        {
                            parts[key] = words[2];
                        }
                    }
                }
            }

            if (parts.Count == 3 && TryParse($"{parts["MAJOR"]}.{parts["MINOR"]}.{parts["PATCH"]}") is { } fromHeader)
            {
                return fromHeader;
            }
        }

        var setup = Path.Combine(servingDir, "tensorflow_serving", "tools", "pip_package", "setup.py");
        if (File.Exists(setup))
        {
            foreach (var line in File.ReadLines(setup))
            {
                var t = line.Trim();
                if (t.StartsWith("_VERSION", StringComparison.Ordinal) && t.Contains('=')
                    && TryParse(t[(t.IndexOf('=') + 1)..].Trim().Trim('\'', '"')) is { } fromSetup)
                {
                    return fromSetup;
                }
            }
        }

        return TryParse(gitTag);
    }

    /// <summary>The normalised form: 2.20.0, 2.20.0-rc1.</summary>
    public override string ToString() => Version.ToNormalizedString();

    public bool Equals(ServingVersion? other) => other is not null && Version.Equals(other.Version);

    public override bool Equals(object? obj) => Equals(obj as ServingVersion);

    public override int GetHashCode() => Version.GetHashCode();
}
