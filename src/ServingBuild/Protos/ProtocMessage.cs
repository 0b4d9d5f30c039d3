using System.Globalization;

namespace ServingBuild.Protos;

/// <summary>One "file:line:col: text" (or "file: text") diagnostic from protoc.</summary>
public sealed record ProtocMessage(string File, int Line, int Column, string Text)
{
    public bool HasPosition => Line > 0;

    public static ProtocMessage? TryParse(string line)
    {
        // file:LINE:COL: text   (the file itself may not contain ':' followed by digits and ':')
        var parts = line.Split(':', 4);
        if (parts.Length == 4
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var l)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var c))
        {
            return new ProtocMessage(parts[0], l, c, parts[3].Trim());
        }

        // Some errors carry no position (e.g. a map's value type): "file: text".
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        if (colon > 0 && line[..colon].EndsWith(".proto", StringComparison.Ordinal))
        {
            return new ProtocMessage(line[..colon], 0, 0, line[(colon + 2)..].Trim());
        }

        return null;
    }
}
