using ServingBuild.Verifier;

// ServingBuild.Verifier --server=host:port --report=FILE [--model-name=half_plus_two] [--ready-timeout=60]
//   [--latency-calls=1000] [--callers=16] [--throughput-seconds=3]
//   [--model-version=N] [--signature-name=NAME] [--request=FILE [--expect=FILE] [--tolerance=1e-6]]
// Exit 0: every check passed; 1: a check failed or the server never became ready; 2: bad command line or a
// --request/--expect file that cannot be used (read before anything is sent).
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
    var report = await new ServerChecks(settings, request, expected).RunAsync(cts.Token);
    report.WriteTo(settings.Report);
    return report.Passed ? 0 : 1;
}
catch (OperationCanceledException) when (cts.IsCancellationRequested)
{
    Console.Error.WriteLine("interrupted");
    return 130;
}
