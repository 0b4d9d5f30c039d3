namespace ServingBuild.Options;

/// <summary>
/// The user-info of --remote-cache (http://user:password@host/) travels apart from the URL: build.sh moves it out
/// of its command line into <see cref="Variable"/> before anything else runs (every user of the host can read a
/// process's command line, only its owner and root its environment), and it is put back here, in the processes
/// that need it, for the forwarder that turns it into an Authorization header. The run file holds the URL without it.
/// </summary>
public static class RemoteCacheUserInfo
{
    public const string Variable = "SERVINGBUILD_REMOTE_CACHE_USERINFO";

    /// <summary>
    /// The URL with the variable's user-info put back after its scheme; the URL unchanged when the variable is unset
    /// or empty, or no --remote-cache was given. Every refusal names the option and the variable, never the value.
    /// </summary>
    public static string? Attach(string? url, IReadOnlyDictionary<string, string?> environment)
    {
        if (url is null || !environment.TryGetValue(Variable, out var info) || string.IsNullOrEmpty(info))
        {
            return url;
        }

        if (BazelBuild.UrlCredentials.Secrets(url).Count > 0)
        {
            throw new OptionsException($"--remote-cache: credentials (user:password@) are given twice, in the URL and in {Variable} or a second URL; give them once");
        }

        if (info.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '/' or '?' or '#' or '@' or '[' or ']' or '\\' or '"' or '<' or '>' or '`' or '^' or '{' or '}' or '|')
            || !PercentEncodingIsWhole(info))
        {
            throw new OptionsException($"--remote-cache: the credentials ({Variable}, or user:password@ in the URL) are not valid URL user-info; write user:password with '@', '/', '%', spaces and quotes percent-encoded (%40, %2F, %25, %20)");
        }

        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var joined = scheme < 0 ? null : url[..(scheme + 3)] + info + "@" + url[(scheme + 3)..];
        if (joined is null || !Uri.TryCreate(joined, UriKind.Absolute, out var uri) || uri.UserInfo.Length == 0 || uri.Host.Length == 0)
        {
            throw new OptionsException($"--remote-cache: the URL with its credentials is not a valid URL (scheme://user:password@host[:port]/path); check the host and port");
        }

        return joined;
    }

    /// <summary>The URL to write where credentials must not go (the run file): without the user-info the variable supplied.</summary>
    public static string? Detach(string? url, IReadOnlyDictionary<string, string?> environment)
    {
        if (url is null || !environment.TryGetValue(Variable, out var info) || string.IsNullOrEmpty(info))
        {
            return url;
        }

        // Cut as text, exactly what Attach inserted, so that reading the run file gives the same URL back.
        var start = url.IndexOf("://", StringComparison.Ordinal) + 3;
        return start >= 3 && string.CompareOrdinal(url, start, info + "@", 0, info.Length + 1) == 0
            ? url[..start] + url[(start + info.Length + 1)..]
            : url;
    }

    /// <summary>The process's environment, for the callers that have no other.</summary>
    public static IReadOnlyDictionary<string, string?> ProcessEnvironment() =>
        new Dictionary<string, string?> { [Variable] = Environment.GetEnvironmentVariable(Variable) };

    private static bool PercentEncodingIsWhole(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2])))
            {
                return false;
            }
        }

        return true;
    }
}
