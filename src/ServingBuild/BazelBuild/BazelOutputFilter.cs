using System.Text.RegularExpressions;

namespace ServingBuild.BazelBuild;

/// <summary>
/// Picks the lines of Bazel's output worth a console line: progress ("[12 / 40] Compiling ..."), at most one
/// every few seconds, and errors, failures and the closing summary. Everything still goes to the log.
/// </summary>
public sealed partial class BazelOutputFilter(TimeSpan progressInterval)
{
    private DateTime _lastProgress = DateTime.MinValue;
    private string? _lastShown;

    public bool ShouldShow(string line, DateTime now)
    {
        line = StripAnsi(line);
        if (line == _lastShown)
        {
            // Bazel repeats its closing line ("INFO: Build completed successfully, ...") without curses.
            return false;
        }

        var show = Decide(line, now);
        if (show)
        {
            _lastShown = line;
        }

        return show;
    }

    private bool Decide(string line, DateTime now)
    {
        if (Progress().IsMatch(line))
        {
            if (now - _lastProgress < progressInterval)
            {
                return false;
            }

            _lastProgress = now;
            return true;
        }

        return Important().IsMatch(line);
    }

    public static string StripAnsi(string line) => Ansi().Replace(line, "");

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex Ansi();

    /// <summary>Progress lines ("[12 / 40] Compiling ..."); the host script greps with the same pattern.</summary>
    internal const string ProgressPattern = @"^\[[\d,]+ / [\d,]+\]";

    /// <summary>Lines always shown; the host script greps with the same pattern.</summary>
    internal const string ImportantPattern = @"^(ERROR|FAILED|Target |  bazel-bin/|INFO: (Elapsed|Build completed|\d+ process)|WARNING: Download)|(fatal error|internal compiler error|error:|Cannot exec|无法 exec|Killed)";

    [GeneratedRegex(ProgressPattern)]
    private static partial Regex Progress();

    [GeneratedRegex(ImportantPattern)]
    private static partial Regex Important();
}
