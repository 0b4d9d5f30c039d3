using System.Text;

namespace ServingBuild.Protos;

/// <summary>
/// A proto file's text addressed the way protoc's source spans address it: 0-based lines, and columns
/// that count UTF-8 bytes with tabs advancing to the next multiple of 8 (protoc's tokenizer).
/// </summary>
public sealed class ProtoSourceText
{
    private const int TabWidth = 8;
    private readonly int[] _lineStarts;

    public ProtoSourceText(string text)
    {
        Text = text;
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }

        _lineStarts = starts.ToArray();
    }

    public string Text { get; }

    public int LineCount => _lineStarts.Length;

    public int LineStart(int line) => line >= _lineStarts.Length ? Text.Length : _lineStarts[line];

    /// <summary>Index just past the line's newline (or the end of the text).</summary>
    public int NextLineStart(int line) => LineStart(line + 1);

    /// <summary>The line without its newline.</summary>
    public string Line(int line)
    {
        var start = LineStart(line);
        var end = NextLineStart(line);
        return Text[start..end].TrimEnd('\n', '\r');
    }

    public bool IsBlank(int line) => line >= 0 && line < LineCount && string.IsNullOrWhiteSpace(Line(line));

    /// <summary>The character index of a protoc (line, column).</summary>
    public int Index(int line, int column)
    {
        var start = LineStart(line);
        var col = 0;
        var i = start;
        while (i < Text.Length && col < column && Text[i] != '\n')
        {
            if (Text[i] == '\t')
            {
                col += TabWidth - (col % TabWidth);
                i++;
            }
            else if (char.IsHighSurrogate(Text[i]) && i + 1 < Text.Length)
            {
                col += 4;
                i += 2;
            }
            else
            {
                col += Encoding.UTF8.GetByteCount(Text.AsSpan(i, 1));
                i++;
            }
        }

        return i;
    }
}
