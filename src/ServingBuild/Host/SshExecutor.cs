using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.Host;

/// <summary>
/// Runs the host's commands on a build host (--build-host=user@host) through the system's OpenSSH client, so
/// ~/.ssh/config, agents and jump hosts work as they do for the user. One connection is opened (a ControlMaster
/// whose socket sits in a private temporary folder) and every command reuses it; output streams line by line and
/// the remote exit code comes back as ssh's own. BatchMode: never a password prompt that would hang a build.
/// </summary>
public sealed class SshExecutor : IHostExecutor
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);

    private readonly ProcessRunner _runner;
    private readonly string _destination;
    private readonly IReadOnlyList<string> _extraOptions;
    private readonly string _controlDir;
    private RunningProcess? _master;

    /// <param name="runner">Starts ssh (and logs it).</param>
    /// <param name="destination">user@host or an alias from ~/.ssh/config.</param>
    /// <param name="extraOptions">More ssh options placed before the destination (e.g. -p, -i, -o UserKnownHostsFile=...).</param>
    public SshExecutor(ProcessRunner runner, string destination, IReadOnlyList<string>? extraOptions = null)
    {
        _runner = runner;
        _destination = destination;
        _extraOptions = extraOptions ?? [];
        // Private (0700) and short: a unix socket path must stay under about 104 bytes.
        _controlDir = Directory.CreateTempSubdirectory("sb-ssh-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_controlDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public string Where => _destination;

    public Elevation Elevation { get; set; } = Elevation.Unknown;

    /// <summary>The ControlMaster socket every command goes through.</summary>
    public string ControlPath => Path.Combine(_controlDir, "control");

    /// <summary>Opens the shared connection; called by the first command, or directly to fail early.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        if (_master is { HasExited: false } && File.Exists(ControlPath))
        {
            return;
        }

        // The master runs in the foreground (-N, ControlPersist=no) as our child: its lifetime is this executor's,
        // and no backgrounded ssh keeps our output pipes open.
        var args = Common(master: true).Concat(["-N", _destination]).ToArray();
        _master = _runner.Start(new ProcessSpec("ssh", args) { Timeout = null }, cancellationToken: cancellationToken);

        var deadline = DateTime.UtcNow + ConnectTimeout;
        while (!File.Exists(ControlPath))
        {
            if (_master.HasExited)
            {
                var result = await _master.Completion.ConfigureAwait(false);
                var last = result.Tail.LastOrDefault(l => !string.IsNullOrWhiteSpace(l))?.Trim() ?? $"ssh exit code {result.ExitCode}";
                throw new SshConnectionException(
                    $"cannot connect to build host {_destination} over ssh: {last}; check that `ssh {_destination} true` works without a password prompt (keys or an agent, ~/.ssh/config)");
            }

            if (DateTime.UtcNow > deadline)
            {
                await _master.StopAsync().ConfigureAwait(false);
                throw new SshConnectionException($"connecting to build host {_destination} over ssh took longer than {ConnectTimeout.TotalSeconds:0} s; check the host name and network");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<ProcessResult> RunAsync(string script, bool asRoot, Action<string>? onLine, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        await ConnectAsync(cancellationToken).ConfigureAwait(false);

        // ssh joins its arguments into one line for the remote user's shell: quote the words once, here.
        var remote = ShellQuote.Join(BashCommand.Words(script, asRoot, Elevation));
        var args = Common(master: false).Concat([_destination, remote]).ToArray();
        var result = await _runner.RunAsync(new ProcessSpec("ssh", args) { Timeout = timeout }, onLine, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode == 255 && !File.Exists(ControlPath))
        {
            throw new SshConnectionException($"the ssh connection to build host {_destination} was lost; run again");
        }

        return result;
    }

    private IEnumerable<string> Common(bool master) =>
    [
        "-o", "BatchMode=yes",
        "-o", $"ConnectTimeout={ConnectTimeout.TotalSeconds:0}",
        "-o", "ServerAliveInterval=30",
        "-o", master ? "ControlMaster=yes" : "ControlMaster=no",
        "-o", "ControlPersist=no",
        "-o", "ControlPath=" + ControlPath,
        .. _extraOptions,
    ];

    public async ValueTask DisposeAsync()
    {
        if (_master is not null)
        {
            if (!_master.HasExited)
            {
                // Ask the master to close the connection; stop the process if it does not.
                await _runner.RunAsync(new ProcessSpec("ssh", [.. Common(master: false), "-O", "exit", _destination]) { Timeout = TimeSpan.FromSeconds(10) }).ConfigureAwait(false);
            }

            await _master.StopAsync().ConfigureAwait(false);
        }

        try
        {
            Directory.Delete(_controlDir, recursive: true);
        }
        catch (IOException)
        {
            // The socket may linger a moment after the master exits; the folder is in /tmp.
        }
    }
}
