using ServingBuild.Verifier;

// ServingBuild.Verifier --server=host:port --report=FILE [--model-name=half_plus_two] [--ready-timeout=60]
//   [--latency-calls=1000] [--callers=16] [--throughput-seconds=3]
// Exit 0: every check passed; 1: a check failed or the server never became ready; 2: bad command line.
VerifierSettings settings;
try
{
    settings = VerifierSettings.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine("error: " + ex.Message);
    return 2;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

try
{
    var report = await new ServerChecks(settings).RunAsync(cts.Token);
    report.WriteTo(settings.Report);
    return report.Passed ? 0 : 1;
}
catch (OperationCanceledException) when (cts.IsCancellationRequested)
{
    Console.Error.WriteLine("interrupted");
    return 130;
}
