using System.Runtime.InteropServices;
using ServingBuild;
using ServingBuild.Verifier;

// ServingBuild.Verifier --server=host:port --report=FILE [--model-name=half_plus_two] [--ready-timeout=60]
//   [--latency-calls=1000] [--callers=16] [--throughput-seconds=3]
//   [--model-version=N] [--signature-name=NAME] [--request=FILE [--expect=FILE] [--tolerance=1e-6]]
// Exit 0: every check passed; 1: a check failed or the server never became ready; 2: bad command line or a
// --request/--expect file that cannot be used (read before anything is sent);
// 70: an exception it did not expect (one line, never a stack trace); 130/143/129: stopped by SIGINT/SIGTERM/SIGHUP.
AppDomain.CurrentDomain.UnhandledException += (_, e) =>
{
    Console.Error.WriteLine(InternalError(e.ExceptionObject as Exception));
    Environment.Exit(ExitCodes.InternalError);
};

VerifierSettings settings;
Tensorflow.Serving.PredictRequest? request = null;
Tensorflow.Serving.PredictResponse? expected = null;
try
{
    settings = VerifierSettings.Parse(args);
    if (settings.RequestFile is not null)
    {
        request = RequestFiles.ReadRequest(settings);
        expected = settings.ExpectFile is { } expect ? RequestFiles.ReadExpected(expect) : null;
    }
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException or RequestFileException)
{
    Console.Error.WriteLine("error: " + ex.Message);
    return ExitCodes.Usage;
}

using var cts = new CancellationTokenSource();
var stoppedBy = 0;
using var registrations = new Registrations(
    [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(signal => PosixSignalRegistration.Create(signal, context =>
    {
        // The first signal stops the checks; repeats (a terminal's Ctrl-C plus the task's forward) change nothing.
        context.Cancel = true;
        if (Interlocked.CompareExchange(ref stoppedBy, (int)context.Signal, 0) == 0)
        {
            cts.Cancel();
        }
    }))]);

try
{
    var report = await new ServerChecks(settings, request, expected).RunAsync(cts.Token);
    report.WriteTo(settings.Report);
    return report.Passed ? 0 : 1;
}
catch (Exception) when (stoppedBy != 0)
{
    Console.Error.WriteLine($"error: stopped by {(PosixSignal)stoppedBy}");
    return ExitCodes.ForSignal((PosixSignal)stoppedBy);
}
catch (Exception ex)
{
    Console.Error.WriteLine(InternalError(ex));
    return ExitCodes.InternalError;
}

static string InternalError(Exception? ex) =>
    $"error: internal error in the verifier: {ex?.GetType().FullName ?? "unknown"}: {string.Join(' ', (ex?.Message ?? "").Split('\n', StringSplitOptions.TrimEntries))}; please report it with artifacts/logs/Verify.log";

/// <summary>Disposes the signal registrations together.</summary>
internal sealed class Registrations(PosixSignalRegistration[] items) : IDisposable
{
    public void Dispose()
    {
        foreach (var item in items)
        {
            item.Dispose();
        }
    }
}
