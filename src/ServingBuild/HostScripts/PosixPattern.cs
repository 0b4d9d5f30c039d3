using System.Text;

namespace ServingBuild.HostScripts;

/// <summary>
/// Turns the .NET regular expressions of the failure catalog and the output filter into POSIX extended regular
/// expressions for `grep -E` and bash's `[[ =~ ]]`, so the generated script matches the same lines. Only the subset
/// those patterns use is accepted (literals, groups, alternation, quantifiers, classes, \s, \d and escaped
/// punctuation); anything else throws, so a new catalog pattern cannot silently match differently in bash.
/// Non-ASCII characters in a class become an alternation: under LC_ALL=C a bracket would match single bytes.
/// </summary>
public static class PosixPattern
{
    public static string FromDotNet(string pattern) => Convert(pattern, groups: null);

    /// <summary>
    /// As <see cref="FromDotNet"/>, also converting named groups and a leading \b (before a word character), and
    /// saying which BASH_REMATCH index each named group has in the POSIX pattern.
    /// </summary>
    public static string FromDotNet(string pattern, out IReadOnlyDictionary<string, int> groups)
    {
        var named = new Dictionary<string, int>(StringComparer.Ordinal);
        var posix = Convert(pattern, named);
        groups = named;
        return posix;
    }

    private static string Convert(string pattern, Dictionary<string, int>? groups)
    {
        var s = new StringBuilder();
        var count = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '\\' when groups is not null && i + 1 < pattern.Length && pattern[i + 1] == 'b':
                    // Only before a word character (as in the patterns converted): "start, or a non-word character".
                    s.Append("(^|[^[:alnum:]_])");
                    count++;
                    i++;
                    break;
                case '\\':
                    s.Append(Escape(pattern, ref i));
                    break;
                case '(' when groups is not null && i + 2 < pattern.Length && pattern[i + 1] == '?' && pattern[i + 2] == '<':
                    var end = pattern.IndexOf('>', i);
                    groups[pattern[(i + 3)..end]] = ++count;
                    s.Append('(');
                    i = end;
                    break;
                case '(' when i + 2 < pattern.Length && pattern[i + 1] == '?':
                    if (pattern[i + 2] != ':')
                    {
                        throw new NotSupportedException($"{pattern}: only (?:...) groups convert to POSIX");
                    }

                    s.Append('(');
                    count++;
                    i += 2;
                    break;
                case '(':
                    s.Append('(');
                    count++;
                    break;
                case '[':
                    s.Append(Class(pattern, ref i));
                    break;
                case '{':
                    throw new NotSupportedException($"{pattern}: counted repetition is not converted");
                default:
                    s.Append(c);
                    break;
            }
        }

        return s.ToString();
    }

    private static string Escape(string pattern, ref int i)
    {
        if (i + 1 >= pattern.Length)
        {
            throw new NotSupportedException($"{pattern}: ends with a backslash");
        }

        var next = pattern[++i];
        return next switch
        {
            's' => "[[:space:]]",
            'S' => "[^[:space:]]",
            'd' => "[0-9]",
            // A closing bracket is literal outside a class; escaping it makes newer grep warn.
            ']' => "]",
            '.' or '+' or '*' or '?' or '(' or ')' or '[' or '|' or '^' or '$' or '\\' => "\\" + next,
            _ => throw new NotSupportedException($"{pattern}: the escape \\{next} is not converted to POSIX"),
        };
    }

    private static string Class(string pattern, ref int i)
    {
        var ascii = new StringBuilder();
        var wide = new List<string>();
        var negated = false;
        i++;
        if (i < pattern.Length && pattern[i] == '^')
        {
            negated = true;
            i++;
        }

        for (; i < pattern.Length && pattern[i] != ']'; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                var next = pattern[++i];
                ascii.Append(next switch
                {
                    'd' => "0-9",
                    's' => "[:space:]",
                    '-' or '\\' or '^' => next.ToString(),
                    ']' => throw new NotSupportedException($"{pattern}: ']' inside a class is not converted"),
                    _ => next.ToString(),
                });
            }
            else if (c > 127)
            {
                wide.Add(c.ToString());
            }
            else
            {
                ascii.Append(c);
            }
        }

        if (i >= pattern.Length)
        {
            throw new NotSupportedException($"{pattern}: unterminated class");
        }

        if (wide.Count == 0)
        {
            return (negated ? "[^" : "[") + ascii + "]";
        }

        if (negated)
        {
            throw new NotSupportedException($"{pattern}: a negated class with non-ASCII characters is not converted");
        }

        var parts = new List<string>();
        if (ascii.Length > 0)
        {
            parts.Add("[" + ascii + "]");
        }

        parts.AddRange(wide);
        return "(" + string.Join('|', parts) + ")";
    }
}
