namespace ServingBuild.BazelBuild;

/// <summary>
/// The user-info part of a URL (http://user:password@host/): kept out of every command line and log. The
/// forwarder turns it into an Authorization header; everything printed shows the URL without it.
/// </summary>
public static class UrlCredentials
{
    /// <summary>The URL without user-info, or the text unchanged when it is not an absolute URL.</summary>
    public static string Strip(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.UserInfo.Length == 0)
        {
            return url;
        }

        return new UriBuilder(uri) { UserName = "", Password = "" }.Uri.ToString();
    }

    /// <summary>The strings to mask in logs: the user-info as written, decoded, and the password alone.</summary>
    public static IReadOnlyList<string> Secrets(string? url)
    {
        if (url is null)
        {
            return [];
        }

        // Parsed by hand as well as by Uri: a URL Uri refuses must still not leak its password.
        var secrets = new List<string>();
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var at = url.IndexOf('@', scheme < 0 ? 0 : scheme + 3);
        var slash = url.IndexOf('/', scheme < 0 ? 0 : scheme + 3);
        if (scheme >= 0 && at > 0 && (slash < 0 || at < slash))
        {
            var info = url[(scheme + 3)..at];
            secrets.Add(info);
            var decoded = Uri.UnescapeDataString(info);
            secrets.Add(decoded);
            var colon = decoded.IndexOf(':');
            if (colon >= 0 && colon + 1 < decoded.Length)
            {
                secrets.Add(decoded[(colon + 1)..]);
                var rawColon = info.IndexOf(':');
                if (rawColon >= 0 && rawColon + 1 < info.Length)
                {
                    secrets.Add(info[(rawColon + 1)..]);
                }
            }
        }

        return secrets.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length).ToList();
    }

    /// <summary>"user:password" decoded, for a Basic Authorization header; null when the URL carries none.</summary>
    public static string? UserInfo(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0 ? Uri.UnescapeDataString(uri.UserInfo) : null;
}
