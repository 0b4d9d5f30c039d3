using System.Net;
using System.Net.Sockets;
using ServingBuild.Processes;
using ServingBuild.Tasks;
using ServingBuild.Tests.Support;

namespace ServingBuild.Tests.Host;

/// <summary>
/// A real OpenSSH server on 127.0.0.1 for one test: host and user keys made by ssh-keygen in a temporary folder,
/// its own sshd_config (keys, pid file, authorized_keys all in that folder), run in the foreground (-D).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LoopbackSshd : IAsyncDisposable
{
    private readonly TempDir _dir;
    private readonly RunningProcess _sshd;

    private LoopbackSshd(TempDir dir, RunningProcess sshd, int port)
    {
        _dir = dir;
        _sshd = sshd;
        Port = port;
    }

    public int Port { get; }
    public int ProcessId => _sshd.ProcessId;
    public string UserKey => _dir.Combine("user_ed25519");

    /// <summary>ssh options that reach this server as root with the test's key and known_hosts, ignoring ~/.ssh/config.</summary>
    public IReadOnlyList<string> ClientOptions(string? key = null) =>
    [
        "-F", "/dev/null",
        "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "-i", key ?? UserKey,
        "-o", "IdentitiesOnly=yes",
        "-o", "IdentityAgent=none",
        "-o", "UserKnownHostsFile=" + _dir.Combine("known_hosts"),
        "-o", "StrictHostKeyChecking=accept-new",
    ];

    public static async Task<LoopbackSshd> StartAsync(ProcessRunner runner)
    {
        var sshd = Require.Program("/usr/sbin/sshd", "openssh-server");
        var keygen = Require.Program("ssh-keygen", "openssh-client");
        Assert.True(Require.IsRoot, "the loopback sshd logs in as root; run the tests as root (./build.sh --target=Test does)");

        var dir = new TempDir("sb-sshd");
        foreach (var key in new[] { "host_ed25519", "user_ed25519", "other_ed25519" })
        {
            await runner.RunCheckedAsync(new ProcessSpec(keygen, "-q", "-t", "ed25519", "-N", "", "-C", key, "-f", dir.Combine(key)), "ssh-keygen");
        }

        File.Copy(dir.Combine("user_ed25519.pub"), dir.Combine("authorized_keys"));
        var port = FreePort.Pick();
        var config = dir.Write("sshd_config", $"""
            ListenAddress 127.0.0.1
            HostKey {dir.Combine("host_ed25519")}
            PidFile {dir.Combine("sshd.pid")}
            AuthorizedKeysFile {dir.Combine("authorized_keys")}
            StrictModes no
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PermitRootLogin prohibit-password
            UsePAM no
            MaxStartups 20
            LogLevel VERBOSE

            """);

        // sshd refuses to start without its privilege separation folder; the openssh-server package's service makes it.
        Directory.CreateDirectory("/run/sshd");
        var process = runner.Start(new ProcessSpec(sshd, "-D", "-e", "-f", config, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)) { Timeout = TimeSpan.FromMinutes(10) });
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (process.HasExited)
            {
                var r = await process.Completion;
                dir.Dispose();
                Assert.Fail($"sshd exited at once ({r.ExitCode}): {string.Join(" | ", r.Tail)}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }

        return new LoopbackSshd(dir, process, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _sshd.StopAsync();
        _dir.Dispose();
    }
}
