using ServingBuild.Files;
using ServingBuild.Protos;
using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.Stubs;

/// <summary>
/// Builds the C# client (and the Verify stage's verifier, which calls the server through it) from protos/ with
/// Grpc.Tools, checks the client exposes exactly the kept RPCs, and packs it into artifacts/packages/ with a
/// version carrying the serving version from the lock (2.20.0-client.1). protos/ must match its lock; when no
/// input changed since the last run, nothing is done.
/// </summary>
public sealed class StubsStage : IStage
{
    /// <summary>Bumped when the client's own code changes in a way users should see in the version.</summary>
    public const int ClientRevision = 1;

    public const string PackageId = "TensorFlowServing.Client";

    public async Task<int> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var paths = context.Paths;
        var options = context.Options;
        // One Stubs run at a time per toolkit: builds share artifacts/dotnet, so a second run waits for the first.
        var stubsDir = Path.GetDirectoryName(StampPath(paths))!;
        AtomicFile.EnsureFolder(stubsDir);
        using var held = await OutputLock.AcquireAsync(stubsDir, "the C# client (Stubs)", BuildLockWait, cancellationToken, context.Log.Info).ConfigureAwait(false);
        AtomicFile.RemoveStaleTemporaries(stubsDir);
        var theLock = ProtosLock.ReadVerified(options.ProtosOut);
        var version = PackageVersion(theLock.ServingVersion, Path.Combine(options.ProtosOut, ProtosLock.FileName));
        var inputs = StubsStamp.ComputeInputsHash(paths.Root, options.ProtosOut, version, options.KeepRpcs);
        var stampPath = StampPath(paths);
        var package = Path.Combine(paths.Packages, $"{PackageId}.{version}.nupkg");

        if (StubsStamp.Read(stampPath) is { } stamp && stamp.InputsHash == inputs && File.Exists(stamp.PackagePath)
            && File.Exists(ClientDll(paths)) && File.Exists(VerifierDll(paths)))
        {
            context.Log.Info($"Stubs: nothing changed since the last build; {Path.GetRelativePath(paths.Root, stamp.PackagePath)} is current");
            return ExitCodes.Ok;
        }

        context.Log.Info($"Stubs: {options.ProtosOut} matches its lock ({theLock.Outputs.Count} files, serving {theLock.ServingVersion ?? "version unknown"}); building the client {version}");
        var properties = new[] { "-c", "Release", "--nologo", $"-p:Version={version}", $"-p:ProtosDir={Path.GetFullPath(options.ProtosOut)}" };
        await RunDotnetAsync(context, Dotnet(paths, ["build", VerifierProject(paths), .. properties]), "building the C# client from protos/", cancellationToken);

        var surface = ClientSurface.Read(ClientDll(paths));
        surface.Check(options.KeepRpcs);
        context.Log.Info($"Stubs: PredictionServiceClient exposes {string.Join(", ", surface.MethodNames.Where(m => m != "NewInstance").Order(StringComparer.Ordinal))} and nothing stripped");

        // Pack into this run's own scratch folder, then copy atomically: artifacts/packages never holds a half-written package.
        var scratch = AtomicFile.TemporaryPath(Path.Combine(stubsDir, "pack"));
        try
        {
            await RunDotnetAsync(context, Dotnet(paths, ["pack", paths.ClientProject, "--no-build", "-o", scratch, .. properties]), "packing the C# client", cancellationToken);
            var packed = Path.Combine(scratch, $"{PackageId}.{version}.nupkg");
            if (!File.Exists(packed))
            {
                throw new ToolkitException($"dotnet pack did not write {packed}; see {context.Log.LogPath ?? "the log"}");
            }

            AtomicFile.CopyFrom(packed, package);
        }
        finally
        {
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }

        new StubsStamp(inputs, version, package).Write(stampPath);
        context.Log.Info($"Stubs: packed {Path.GetRelativePath(paths.Root, package)}");
        return ExitCodes.Ok;
    }

    /// <summary>2.20.0-client.1 for serving 2.20.0; 0.0.0-client.1 when the lock does not know the serving version.</summary>
    public static string PackageVersion(string? servingVersion, string lockPath = ProtosLock.FileName)
    {
        var serving = servingVersion?.TrimStart('v') ?? "0.0.0";
        var core = serving.Split('-', 2)[0];
        if (!System.Text.RegularExpressions.Regex.IsMatch(core, @"^\d+\.\d+\.\d+$"))
        {
            throw new ProtosLockInvalidException(lockPath, $"servingVersion \"{servingVersion}\" is not x.y.z");
        }

        return $"{core}-client.{ClientRevision}";
    }

    /// <summary>How long a Stubs run waits for another one (a cold client build takes a few minutes).</summary>
    public static readonly TimeSpan BuildLockWait = TimeSpan.FromMinutes(20);

    /// <summary>
    /// Runs dotnet and, when it fails, names the compiler's or MSBuild's first error line as the cause (its last
    /// line is only "Time Elapsed ...").
    /// </summary>
    private static async Task RunDotnetAsync(StageContext context, ProcessSpec spec, string what, CancellationToken cancellationToken)
    {
        var result = await context.Runner.RunAsync(spec, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (result.Succeeded)
        {
            return;
        }

        var cause = FailureCause((result.StandardOutput + "\n" + result.StandardError).Split('\n'));
        var why = result.TimedOut ? $"timed out after {spec.Timeout}" : $"exit code {result.ExitCode}";
        throw new ToolkitException($"{what} failed ({why}): {context.Log.Redact(cause)}; full output in {context.Log.LogPath ?? "the log"}");
    }

    /// <summary>The line that says why dotnet failed: the first compiler or MSBuild error, else the last line that is not MSBuild's closing summary.</summary>
    public static string FailureCause(IEnumerable<string> output)
    {
        var lines = output.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        return lines.FirstOrDefault(l => l.Contains(": error ", StringComparison.Ordinal))
            ?? lines.LastOrDefault(l => !l.StartsWith("Time Elapsed", StringComparison.Ordinal) && !l.EndsWith("Warning(s)", StringComparison.Ordinal)
                && !l.EndsWith("Error(s)", StringComparison.Ordinal) && !l.StartsWith("Build FAILED", StringComparison.Ordinal))
            ?? "no output";
    }

    public static string StampPath(ToolkitPaths paths) => Path.Combine(paths.Artifacts, "stubs", "stamp.json");

    public static string VerifierProject(ToolkitPaths paths) => Path.Combine(paths.Root, "src", "ServingBuild.Verifier", "ServingBuild.Verifier.csproj");

    /// <summary>Where the Release build puts the client (UseArtifactsOutput: artifacts/dotnet/bin/&lt;project&gt;/release/).</summary>
    public static string ClientDll(ToolkitPaths paths) => Path.Combine(paths.Artifacts, "dotnet", "bin", PackageId, "release", PackageId + ".dll");

    public static string VerifierDll(ToolkitPaths paths) => Path.Combine(paths.Artifacts, "dotnet", "bin", "ServingBuild.Verifier", "release", "ServingBuild.Verifier.dll");

    private static ProcessSpec Dotnet(ToolkitPaths paths, string[] arguments) =>
        new("dotnet", arguments)
        {
            WorkingDirectory = paths.Root,
            Timeout = TimeSpan.FromMinutes(20),
            Environment = new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
        };
}
