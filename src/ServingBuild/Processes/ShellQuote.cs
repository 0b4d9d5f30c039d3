namespace ServingBuild.Processes;

/// <summary>POSIX shell quoting, for displayed commands and emitted scripts.</summary>
public static class ShellQuote
{
    /// <summary>Punctuation left unquoted (with ASCII letters and digits); the host script quotes the same way.</summary>
    public const string SafePunctuation = "-_./=:,+@%";

    public static string Quote(string value)
    {
        if (value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || SafePunctuation.Contains(c)))
        {
            return value;
        }

        return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));
}
