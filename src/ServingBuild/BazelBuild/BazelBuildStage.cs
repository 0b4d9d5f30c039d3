using System.Diagnostics;
using System.Text;
using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.BazelBuild;

/// <summary>
/// Builds tensorflow_model_server with Bazel: the pinned version, upstream's command line sized to the host,
/// progress as concise lines, the full output in artifacts/logs/bazel-build.log, and on failure the known
/// cause with its fix (applied and retried once under --auto-fix).
/// </summary>
public sealed class BazelBuildStage(IReadOnlyDictionary<string, string?>? environment = null) : IStage
{
    public const string LogFileName = "bazel-build.log";

    private readonly IReadOnlyDictionary<string, string?> _environment = environment ?? ReadEnvironment();

    public async Task<int> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        await BuildAsync(context, cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>Builds (or, under --dry-run, only prints the command) and returns the binary's path and Bazel's summary.</summary>
    public async Task<BazelBuildResult> BuildAsync(StageContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var log = context.Log;
        var servingDir = options.ServingDir;
        if (!File.Exists(Path.Combine(servingDir, "WORKSPACE")) && !File.Exists(Path.Combine(servingDir, "MODULE.bazel")))
        {
            throw new ToolkitException(BazelBuildLines.NoWorkspace(servingDir), ExitCodes.Usage);
        }

        var bazel = await FindBazelAsync(context, cancellationToken).ConfigureAwait(false);
        foreach (var secret in UrlCredentials.Secrets(options.RemoteCache).Concat(UrlCredentials.Secrets(options.RemoteExecutor)))
        {
            log.AddSecret(secret);
        }

        // An http(s) cache with credentials is reached through a loopback forwarder that adds them: Bazel logs
        // its command line under its output base, so nothing secret may be on it.
        var headerLines = BazelInvocation.RemoteHeaders(_environment);
        await using var forwarder = options.DryRun ? null : RemoteCacheForwarder.StartIfNeeded(options.RemoteCache, headerLines, log);
        var forwardedUrl = forwarder?.LocalUrl ?? (options.DryRun && RemoteCacheForwarder.IsNeeded(options.RemoteCache, headerLines) ? RemoteCacheForwarder.DryRunUrl : null);
        var invocation = BazelInvocation.For(options, HostResources.Detect(), terminal: !Console.IsOutputRedirected, _environment, forwardedUrl);
        foreach (var secret in invocation.Secrets)
        {
            log.AddSecret(secret);
        }

        if (forwardedUrl is not null)
        {
            log.Info($"remote cache {UrlCredentials.Strip(options.RemoteCache!)}: Bazel talks to a loopback forwarder that adds the credentials, so they are on no command line and in no Bazel log");
        }
        else if (headerLines.Count > 0 && invocation.Arguments.Any(a => a.StartsWith("--remote_header=", StringComparison.Ordinal)))
        {
            log.Warn("the remote headers go to Bazel as --remote_header (a gRPC cache or executor cannot be forwarded): Bazel records them in java.log and command.log under its output base; see README, Remote cache");
        }

        var display = log.Redact(ShellQuote.Join(new[] { bazel.Path }.Concat(invocation.Arguments)));
        log.Info($"$ {display}");
        log.Info($"  (in {servingDir})");
        var logPath = Path.Combine(context.Paths.Logs, LogFileName);
        var binary = ServerBinary.PathFor(servingDir);
        if (options.DryRun)
        {
            return new BazelBuildResult(binary, TimeSpan.Zero, null, logPath, invocation.Arguments, []);
        }

        using var raw = new StreamWriter(Files.AtomicFile.CreateStreaming(logPath), new UTF8Encoding(false)) { AutoFlush = true };
        raw.WriteLine("$ " + display);
        var stopwatch = Stopwatch.StartNew();
        var fixedOnTheWay = new List<Diagnosis>();
        for (var attempt = 1; ; attempt++)
        {
            var lines = new List<string>();
            var result = await RunBazelAsync(bazel.Path, invocation.Arguments, servingDir, log, raw, lines, cancellationToken).ConfigureAwait(false);
            var summary = ProcessSummary.FindLast(lines);
            if (result.Succeeded)
            {
                if (!File.Exists(binary))
                {
                    throw new ToolkitException(BazelBuildLines.BinaryMissing(binary, logPath));
                }

                log.Info(BazelBuildLines.Finished(stopwatch.Elapsed.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture), summary is null ? null : BazelBuildLines.SummaryCounts($"{summary.Total}", $"{summary.Executed}", $"{summary.RemoteCacheHits}")));
                log.Info(BazelBuildLines.ServerBinaryLine(binary));
                var manifest = await ServerExport.ExportAsync(binary, servingDir, bazel.Version, BazelInvocation.OptionsShapingTheBinary(options, _environment), context, cancellationToken).ConfigureAwait(false);
                return new BazelBuildResult(binary, stopwatch.Elapsed, summary, logPath, invocation.Arguments, fixedOnTheWay)
                {
                    ExportedBinary = ServerExport.ExportedPath(context.Paths),
                    Manifest = manifest,
                };
            }

            var diagnoses = FailureCatalog.Diagnose(lines);
            foreach (var d in diagnoses)
            {
                log.Info(BazelBuildLines.Cause(d.Signature, d.Evidence));
                log.Info(BazelBuildLines.Fix(d.Signature));
            }

            var fixable = diagnoses.Where(d => d.Signature.SafeFix != SafeFix.None).ToList();

            // The bundled workspace reproduces the seed's failures on purpose; its default run should still
            // build on a fresh host, so it applies the safe fixes as --auto-fix would (and says so).
            var autoFix = options.AutoFix || options.ServingDirIsBundled;
            if (autoFix && attempt == 1 && fixable.Count > 0)
            {
                if (!options.AutoFix)
                {
                    log.Info(BazelBuildLines.BundledAutoFix);
                }

                var fixer = new SafeFixer(context.Runner);
                var applied = true;
                foreach (var d in fixable)
                {
                    applied &= await fixer.ApplyAsync(d.Signature.SafeFix, cancellationToken).ConfigureAwait(false);
                }

                if (applied)
                {
                    fixedOnTheWay.AddRange(fixable);
                    log.Info(BazelBuildLines.AutoFixApplied);
                    raw.WriteLine("# --auto-fix applied " + string.Join(", ", fixable.Select(d => d.Signature.Name)) + "; second attempt");
                    continue;
                }
            }

            var why = result.TimedOut ? "timed out" : BazelBuildLines.ExitCode(result.ExitCode);
            if (diagnoses.Count == 0)
            {
                var last = lines.LastOrDefault(l => l.StartsWith("ERROR:", StringComparison.Ordinal)) ?? lines.LastOrDefault() ?? "no output";
                throw new BazelBuildFailedException(BazelBuildLines.FailedUnknown(why, log.Redact(last.Trim()), logPath), diagnoses);
            }

            var first = diagnoses[0].Signature;
            throw new BazelBuildFailedException(BazelBuildLines.FailedKnown(why, first, hintAutoFix: !autoFix && first.SafeFix != SafeFix.None, logPath), diagnoses);
        }
    }

    private async Task<InstalledBazel> FindBazelAsync(StageContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var wanted = WantedBazelVersion.Read(options.ServingDir);
        var fromOption = options.Bazel;
        if (options.InstallBazel)
        {
            if (wanted is null)
            {
                throw new ToolkitException(BazelBuildLines.InstallBazelNoPin, ExitCodes.Usage);
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
            var release = BazelRelease.ForThisHost(wanted.Version, options.BazelMirror);
            // Provision may have put it in the system folder already: one install per version is enough.
            var installedRoot = BazelLocator.ToolsRoots(options.CacheDir).FirstOrDefault(root => BazelInstaller.IsInstalled(release, root));
            fromOption = installedRoot is not null
                ? release.InstalledBinary(installedRoot)
                : await new BazelInstaller(http, context.Log, context.Runner).InstallAsync(release, Path.Combine(options.CacheDir, "bazel"), cancellationToken).ConfigureAwait(false);
            if (installedRoot is not null)
            {
                context.Log.Info(BazelBuildLines.AlreadyInstalled(release.Version, fromOption));
            }
        }

        var bazel = await InstalledBazel.FindAsync(fromOption, _environment, context.Runner, cancellationToken, options.CacheDir, wanted?.Version).ConfigureAwait(false);
        if (options.InstallBazel)
        {
            bazel = bazel with { HowFound = BazelBuildLines.InstallBazelHow };
        }

        context.Log.Info(BazelBuildLines.Found(bazel.Version, bazel.Path, bazel.HowFound, wanted));
        if (wanted is not null)
        {
            if (bazel.Version is null)
            {
                context.Log.Warn(BazelBuildLines.VersionUnknown(bazel.Path, wanted.Version));
            }
            else if (!BazelVersion.AreSame(bazel.Version, wanted.Version))
            {
                var mismatch = new BazelVersionMismatchException(bazel.Version, wanted, bazel.Path);
                if (!options.AllowBazelMismatch)
                {
                    throw mismatch;
                }

                context.Log.Warn(mismatch.Message);
            }
        }

        return bazel;
    }

    private static async Task<ProcessResult> RunBazelAsync(string bazel, IReadOnlyList<string> arguments, string servingDir, TaskLog log, StreamWriter raw, List<string> lines, CancellationToken cancellationToken)
    {
        var filter = new BazelOutputFilter(TimeSpan.FromSeconds(3));
        var gate = new object();
        void OnLine(string line)
        {
            var plain = BazelOutputFilter.StripAnsi(line).TrimEnd('\r');
            lock (gate)
            {
                lines.Add(plain);
                raw.WriteLine(log.Redact(plain));
            }

            if (plain.Length > 0 && filter.ShouldShow(plain, DateTime.UtcNow))
            {
                log.Info("  " + plain);
            }
        }

        var spec = new ProcessSpec(bazel, arguments)
        {
            WorkingDirectory = servingDir,
            Timeout = null,
            CaptureOutput = false,
            GracePeriod = TimeSpan.FromSeconds(30),
        };
        return await new ProcessRunner(log).RunAsync(spec, OnLine, cancellationToken).ConfigureAwait(false);
    }

    private static Dictionary<string, string?> ReadEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
}
