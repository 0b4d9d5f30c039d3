using System.Globalization;

namespace ServingBuild.Protos;

/// <summary>The serving release a tree is, when it says so: version.h macros, the pip package's setup.py, or a release tag.</summary>
public static class ServingVersion
{
    public static string? Detect(string servingDir, string? gitTag)
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

            if (parts.Count == 3)
            {
                return $"{parts["MAJOR"]}.{parts["MINOR"]}.{parts["PATCH"]}";
            }
        }

        var setup = Path.Combine(servingDir, "tensorflow_serving", "tools", "pip_package", "setup.py");
        if (File.Exists(setup))
        {
            foreach (var line in File.ReadLines(setup))
            {
                var t = line.Trim();
                if (t.StartsWith("_VERSION", StringComparison.Ordinal) && t.Contains('='))
                {
                    var v = t[(t.IndexOf('=') + 1)..].Trim().Trim('\'', '"');
                    if (IsVersion(v))
                    {
                        return v;
                    }
                }
            }
        }

        var tag = gitTag?.TrimStart('v');
        return tag is not null && IsVersion(tag) ? tag : null;
    }

    private static bool IsVersion(string v)
    {
        var core = v.Split('-', '+')[0].Split('.');
        return core.Length is >= 2 and <= 3 && core.All(p => p.Length > 0 && p.All(char.IsAsciiDigit));
    }
}
