using System.Text;

namespace ServingBuild.Tasks;

/// <summary>
/// One task's log: every line goes to artifacts/logs/&lt;task&gt;.log; the console gets the concise view
/// (Info and above, or everything when verbose). Registered secrets are masked in both.
/// </summary>
public sealed class TaskLog : IDisposable
{
    private readonly object _gate = new();
    private readonly StreamWriter? _file;
    private readonly TextWriter _console;
    private readonly List<string> _secrets = [];

    public TaskLog(string? logPath, TextWriter? console = null, bool verbose = false)
    {
        _console = console ?? Console.Out;
        Verbose = verbose;
        LogPath = logPath;
        if (logPath is not null)
        {
            _file = new StreamWriter(Files.AtomicFile.CreateStreaming(logPath), new UTF8Encoding(false))
            {
                AutoFlush = true,
            };
        }
    }

    /// <summary>A log that prints nowhere: for tests and quiet callers.</summary>
    public static TaskLog Null => new(null, TextWriter.Null);

    public static TaskLog ForTask(ToolkitPaths paths, string task, bool verbose = false) =>
        new(Path.Combine(paths.Logs, task + ".log"), Console.Out, verbose);

    public string? LogPath { get; }
    public bool Verbose { get; }

    /// <summary>Masks this value wherever it would be printed or logged (tokens, headers).</summary>
    public void AddSecret(string secret)
    {
        if (!string.IsNullOrEmpty(secret))
        {
            lock (_gate)
            {
                _secrets.Add(secret);
            }
        }
    }

    public string Redact(string line)
    {
        lock (_gate)
        {
            foreach (var s in _secrets)
            {
                line = line.Replace(s, "***", StringComparison.Ordinal);
            }
        }

        return line;
    }

    /// <summary>Console and log.</summary>
    public void Info(string line) => Write(line, toConsole: true);

    /// <summary>Log only (console when verbose).</summary>
    public void Detail(string line) => Write(line, toConsole: Verbose);

    public void Warn(string line) => Write("warning: " + line, toConsole: true);

    private void Write(string line, bool toConsole)
    {
        line = Redact(line);
        lock (_gate)
        {
            _file?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
            if (toConsole)
            {
                _console.WriteLine(line);
            }
        }
    }

    public void Dispose() => _file?.Dispose();
}
