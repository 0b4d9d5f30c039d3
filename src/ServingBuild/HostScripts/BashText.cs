namespace ServingBuild.HostScripts;

/// <summary>
/// Quoting for the generated bash, and message templates: a C# message rendered with placeholder values
/// (@SB_NAME@) becomes a double-quoted bash string that expands the matching variables, so the script prints
/// exactly the words the C# stage prints.
/// </summary>
public static class BashText
{
    /// <summary>A single-quoted bash word holding the text literally.</summary>
    public static string Single(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// A double-quoted bash string: the text literally, except each placeholder becomes ${variable}. Throws when a
    /// placeholder is left over (the C# message gained a value the script does not map).
    /// </summary>
    public static string Template(string text, params (string Placeholder, string Variable)[] map)
    {
        var escaped = text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("$", "\\$", StringComparison.Ordinal).Replace("`", "\\`", StringComparison.Ordinal);
        foreach (var (placeholder, variable) in map)
        {
            escaped = escaped.Replace(placeholder, "${" + variable + "}", StringComparison.Ordinal);
        }

        if (escaped.Contains("@SB_", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the message '{text}' has a placeholder HostScript does not map");
        }

        return "\"" + escaped + "\"";
    }
}
