namespace ServingBuild.Host;

/// <summary>
/// Whether a network service the test tools bring (sshd, nginx) is enabled at boot or listening on a host: a build
/// host should have neither opened by the toolkit. Read by one small read-only shell probe, so a host over ssh is
/// described by the same code: enablement from the /etc/systemd/system/*.wants links (systemd need not run), listening
/// sockets from `ss -ltnp`.
/// </summary>
public sealed record ServiceState(string Name, IReadOnlyList<string> EnabledUnits, IReadOnlyList<string> ListeningOn)
{
    /// <summary>The services and their unit names on Debian (ssh) and CentOS (sshd).</summary>
    public static readonly IReadOnlyList<(string Name, string Process, string[] Units)> Watched =
    [
        ("sshd", "sshd", ["ssh.service", "ssh.socket", "sshd.service"]),
        ("nginx", "nginx", ["nginx.service"]),
    ];

    public const string Script = """
        for link in /etc/systemd/system/*.wants/ssh.service /etc/systemd/system/*.wants/ssh.socket \
                    /etc/systemd/system/*.wants/sshd.service /etc/systemd/system/*.wants/nginx.service; do
          if [ -L "$link" ] || [ -e "$link" ]; then echo "enabled ${link##*/} ${link%/*}"; fi
        done
        if command -v ss >/dev/null 2>&1; then
          ss -ltnp 2>/dev/null | awk 'NR > 1 && /users:\(\("(sshd|nginx)"/ { print "listening " $4 " " $NF }' || true
        fi
        """;

    /// <summary>Listening only on loopback: the tests' own instances, not reachable from the network.</summary>
    public bool LoopbackOnly => ListeningOn.All(IsLoopback);

    public static IReadOnlyList<ServiceState> Parse(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return Watched.Select(w => new ServiceState(
            w.Name,
            lines.Where(l => l.StartsWith("enabled ", StringComparison.Ordinal))
                .Select(l => l.Split(' '))
                .Where(p => p.Length >= 3 && w.Units.Contains(p[1]))
                .Select(p => $"{p[2]}/{p[1]}")
                .ToArray(),
            lines.Where(l => l.StartsWith("listening ", StringComparison.Ordinal) && l.Contains($"((\"{w.Process}\"", StringComparison.Ordinal))
                .Select(l => l.Split(' ')[1])
                .Distinct()
                .ToArray())).ToArray();
    }

    private static bool IsLoopback(string address) =>
        address.StartsWith("127.", StringComparison.Ordinal) || address.StartsWith("[::1]", StringComparison.Ordinal) || address.StartsWith("::1", StringComparison.Ordinal);
}
