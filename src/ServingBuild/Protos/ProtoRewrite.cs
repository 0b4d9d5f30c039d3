using Google.Protobuf.Reflection;
using Location = Google.Protobuf.Reflection.SourceCodeInfo.Types.Location;

namespace ServingBuild.Protos;

/// <summary>
/// Edits one proto file's text at the places protoc's source info names: removes method declarations
/// (paths [6, service, 2, method]) and import statements ([3, index]) together with their comments, and
/// rewrites import paths. Nothing here reads proto syntax on its own: every cut starts from a span.
/// </summary>
public static class ProtoRewrite
{
    private const int ImportPath = 3;
    private const int ServicePath = 6;
    private const int MethodPath = 2;

    public static string Apply(string text, FileDescriptorProto file, IReadOnlyCollection<(int Service, int Method)> removeMethods,
        IReadOnlyCollection<int> removeImports, IReadOnlyDictionary<string, string> renameImports)
    {
        var source = new ProtoSourceText(text);
        var locations = file.SourceCodeInfo?.Location.ToList()
            ?? throw new InvalidOperationException($"{file.Name} was parsed without source info");
        Location Find(params int[] path) => locations.FirstOrDefault(l => l.Path.SequenceEqual(path))
            ?? throw new InvalidOperationException($"{file.Name}: protoc gave no span for [{string.Join(", ", path)}]");

        var deleted = new bool[source.LineCount];
        var edits = new List<(int Start, int End, string Replacement)>();
        var removals = new List<(Location Location, int Bound, bool Detached)>();

        foreach (var (s, m) in removeMethods)
        {
            var location = Find(ServicePath, s, MethodPath, m);
            // Comments above a method may run up to the previous element of its service (or the service's name).
            var bound = locations
                .Where(l => l.Path.Count >= 2 && l.Path[0] == ServicePath && l.Path[1] == s && !IsWithin(l, s, m) && l.Path.Count > 2)
                .Select(l => EndLine(l))
                .Where(e => e < StartLine(location))
                .DefaultIfEmpty(-1)
                .Max();
            removals.Add((location, bound, true));
        }

        foreach (var i in removeImports)
        {
            var location = Find(ImportPath, i);
            var bound = locations
                .Where(l => l.Path.Count > 0 && !(l.Path.Count == 2 && l.Path[0] == ImportPath && l.Path[1] == i))
                .Select(l => EndLine(l))
                .Where(e => e < StartLine(location))
                .DefaultIfEmpty(-1)
                .Max();
            removals.Add((location, bound, false));
        }

        var spans = removals.Select(r => (Start: source.Index(r.Location.Span[0], r.Location.Span[1]), End: source.Index(EndLine(r.Location), EndColumn(r.Location)))).ToList();
        foreach (var (location, bound, detached) in removals)
        {
            Remove(source, location, bound, detached, spans, deleted, edits);
        }

        for (var i = 0; i < file.Dependency.Count; i++)
        {
            if (removeImports.Contains(i) || !renameImports.TryGetValue(file.Dependency[i], out var renamed) || renamed == file.Dependency[i])
            {
                continue;
            }

            var location = Find(ImportPath, i);
            var start = source.Index(location.Span[0], location.Span[1]);
            var end = source.Index(EndLine(location), EndColumn(location));
            var statement = text[start..end];
            // The span is exactly one import statement; its only string literal is the path.
            var open = statement.IndexOfAny(['"', '\'']);
            var close = open < 0 ? -1 : statement.IndexOf(statement[open], open + 1);
            if (open < 0 || close < 0)
            {
                throw new InvalidOperationException($"{file.Name}:{location.Span[0] + 1}: import statement without a quoted path");
            }

            edits.Add((start + open + 1, start + close, renamed));
        }

        TidyBlankLines(source, deleted);
        for (var line = 0; line < deleted.Length; line++)
        {
            if (deleted[line])
            {
                edits.Add((source.LineStart(line), source.NextLineStart(line), ""));
            }
        }

        var result = text;
        var ordered = edits.OrderByDescending(e => e.Start).ToList();
        for (var k = 0; k < ordered.Count; k++)
        {
            var e = ordered[k];
            if (k > 0 && e.End > ordered[k - 1].Start)
            {
                throw new InvalidOperationException($"{file.Name}: overlapping edits at {e.Start}");
            }

            result = result[..e.Start] + e.Replacement + result[e.End..];
        }

        return result;
    }

    /// <summary>Removes one element: whole lines when it stands alone on them (with its comments), else the exact span.</summary>
    private static void Remove(ProtoSourceText source, Location location, int bound, bool includeDetached, IReadOnlyList<(int Start, int End)> removed,
        bool[] deleted, List<(int, int, string)> edits)
    {
        int startLine = StartLine(location), endLine = EndLine(location);
        var start = source.Index(startLine, location.Span[1]);
        var end = source.Index(endLine, EndColumn(location));
        // Other elements removed from the same line count as gone: a line whose every element goes is deleted whole.
        var before = Without(source.Text, source.LineStart(startLine), start, removed);
        var after = Without(source.Text, end, source.NextLineStart(endLine), removed).Trim();
        if (after.StartsWith(';'))
        {
            // An empty statement right after a body ("rpc X(...) returns (...) {...};") belongs to it.
            end = source.Text.IndexOf(';', end) + 1;
            after = after[1..].TrimStart();
        }

        var aloneBefore = string.IsNullOrWhiteSpace(before);
        var aloneAfter = after.Length == 0 || after.StartsWith("//", StringComparison.Ordinal) || (after.StartsWith("/*", StringComparison.Ordinal) && after.EndsWith("*/", StringComparison.Ordinal));
        if (!aloneBefore || !aloneAfter)
        {
            // Shares its line with an element that stays: cut the span only, with the spaces that separated it.
            if (!aloneBefore)
            {
                while (start > 0 && source.Text[start - 1] is ' ' or '\t')
                {
                    start--;
                }
            }
            else
            {
                while (end < source.Text.Length && source.Text[end] is ' ' or '\t')
                {
                    end++;
                }
            }

            edits.Add((start, end, ""));
            return;
        }

        var first = startLine;
        if (!string.IsNullOrEmpty(location.LeadingComments))
        {
            first = CommentBlockAbove(source, first, bound);
        }

        if (includeDetached && location.LeadingDetachedComments.Count > 0)
        {
            // Detached comments sit between the previous element and this one, separated by blank lines.
            var k = first - 1;
            while (k > bound && (source.IsBlank(k) || IsCommentLine(source.Line(k))))
            {
                k--;
            }

            first = k + 1;
            while (first < startLine && source.IsBlank(first))
            {
                first++;
            }
        }

        var last = endLine;
        if (!string.IsNullOrEmpty(location.TrailingComments) && after.Length == 0)
        {
            // A trailing comment on the lines below, ended by a blank line (protoc's rule for trailing comments).
            var k = endLine + 1;
            while (k < source.LineCount && IsCommentLine(source.Line(k)))
            {
                k++;
            }

            if (k > endLine + 1 && (k >= source.LineCount || source.IsBlank(k)))
            {
                last = k - 1;
            }
        }

        for (var l = first; l <= last; l++)
        {
            deleted[l] = true;
        }
    }

    /// <summary>The text of [from, to) with the removed spans taken out.</summary>
    private static string Without(string text, int from, int to, IReadOnlyList<(int Start, int End)> removed)
    {
        var chars = new System.Text.StringBuilder();
        for (var i = from; i < to; i++)
        {
            if (!removed.Any(r => i >= r.Start && i < r.End))
            {
                chars.Append(text[i]);
            }
        }

        return chars.ToString();
    }

    /// <summary>The first line of the comment lines directly above <paramref name="line"/> (no blank line between).</summary>
    private static int CommentBlockAbove(ProtoSourceText source, int line, int bound)
    {
        var k = line - 1;
        while (k > bound)
        {
            var trimmed = source.Line(k).Trim();
            if (trimmed.StartsWith("//", StringComparison.Ordinal))
            {
                k--;
            }
            else if (trimmed.EndsWith("*/", StringComparison.Ordinal))
            {
                while (k > bound && !source.Line(k).Contains("/*", StringComparison.Ordinal))
                {
                    k--;
                }

                k--;
            }
            else
            {
                break;
            }
        }

        return k + 1;
    }

    private static bool IsCommentLine(string line)
    {
        var t = line.Trim();
        return t.StartsWith("//", StringComparison.Ordinal) || t.StartsWith("/*", StringComparison.Ordinal) || t.StartsWith('*') || t.EndsWith("*/", StringComparison.Ordinal);
    }

    /// <summary>Where lines were removed, leave at most one blank line, and none just inside braces.</summary>
    private static void TidyBlankLines(ProtoSourceText source, bool[] deleted)
    {
        // Repeat until stable: deleting a blank line can join two runs of removed lines into one.
        while (TidyOnce(source, deleted))
        {
        }
    }

    private static bool TidyOnce(ProtoSourceText source, bool[] deleted)
    {
        for (var line = 0; line < deleted.Length; line++)
        {
            if (!deleted[line] || (line > 0 && deleted[line - 1]))
            {
                continue;
            }

            var runEnd = line;
            while (runEnd + 1 < deleted.Length && deleted[runEnd + 1])
            {
                runEnd++;
            }

            var prev = line - 1;
            while (prev >= 0 && deleted[prev])
            {
                prev--;
            }

            var next = runEnd + 1;
            while (next < deleted.Length && deleted[next])
            {
                next++;
            }

            var prevText = prev >= 0 ? source.Line(prev).Trim() : null;
            var nextText = next < deleted.Length ? source.Line(next).Trim() : null;
            if (nextText is { Length: 0 } && (prevText is null || prevText.Length == 0 || prevText.EndsWith('{')))
            {
                deleted[next] = true;
                return true;
            }

            if (prevText is { Length: 0 } && (nextText is null || nextText.StartsWith('}')))
            {
                deleted[prev] = true;
                return true;
            }
        }

        return false;
    }

    private static bool IsWithin(Location l, int service, int method) =>
        l.Path.Count >= 4 && l.Path[0] == ServicePath && l.Path[1] == service && l.Path[2] == MethodPath && l.Path[3] == method;

    private static int StartLine(Location l) => l.Span[0];

    private static int EndLine(Location l) => l.Span.Count == 4 ? l.Span[2] : l.Span[0];

    private static int EndColumn(Location l) => l.Span.Count == 4 ? l.Span[3] : l.Span[2];
}
