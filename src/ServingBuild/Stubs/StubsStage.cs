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
        var version = PackageVersion(theLock.ServingVersion);
        var inputs = StubsStamp.ComputeInputsHash(paths.Root, options.ProtosOut, version, options.KeepRpcs);
        var stampPath = StampPath(paths);
        var package = Path.Combine(paths.Packages, $"{PackageId}.{version}.nupkg");

        if (StubsStamp.Read(stampPath) is { } stamp && stamp.InputsHash == inputs && File.Exists(stamp.PackagePath)
            && File.Exists(ClientDll(paths)) && File.Exists(VerifierDll(paths)))
        {
            context.Log.Info($"Stubs: nothing changed since the last build; {Path.GetRelativePath(paths.Root, stamp.PackagePath)} is current");
            return ExitCodes.Ok;
        }

        context.Log.Info($"Stubs: {options.ProtosOut} matches its lock ({theLock.Outputs.Count} files, serving {theLock.ServingVersion?.ToString() ?? "version unknown"}); building the client {version}");
        // Only the version (x.y.z-client.N, checked above) is given as a property. The protos folder, which the
        // user typed, never reaches MSBuild's command line, where a ';' would add a property and '%' escapes
        // apply: MSBuild reads ProtosDir from the environment, and then a link under artifacts/ the toolkit
        // names itself, because MSBuild would still split an item's wildcard at a ';' in the folder's name.
        var properties = new[] { "-c", "Release", "--nologo", $"-p:Version={version}" };
        var protosDir = ProtosDirForMsBuild(paths, Path.GetFullPath(options.ProtosOut));
        await RunDotnetAsync(context, Dotnet(paths, ["build", VerifierProject(paths), .. properties], protosDir), "building the C# client from protos/", cancellationToken);

        var surface = ClientSurface.Read(ClientDll(paths));
        surface.Check(options.KeepRpcs);
        var withModel = surface.HelperNames.Contains("WaitForModelAsync");
        context.Log.Info($"Stubs: PredictionServiceClient{(withModel ? " and ModelServiceClient expose" : " exposes")} {string.Join(", ", surface.MethodNames.Where(m => m != "NewInstance").Order(StringComparer.Ordinal))} and nothing stripped"
            + (withModel ? "; ServingClient has GetModelStatusAsync and WaitForModelAsync" : ""));

        // Pack into this run's own scratch folder, then copy atomically: artifacts/packages never holds a half-written package.
        var scratch = AtomicFile.TemporaryPath(Path.Combine(stubsDir, "pack"));
        try
        {
            await RunDotnetAsync(context, Dotnet(paths, ["pack", paths.ClientProject, "--no-build", "-o", scratch, .. properties], protosDir), "packing the C# client", cancellationToken);
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

    /// <summary>2.20.0-client.1 for serving 2.20.0 (and 2.20.0-rc1); 0.0.0-client.1 when the lock does not know the serving version.</summary>
    public static string PackageVersion(ServingVersion? servingVersion) => $"{servingVersion?.Release ?? "0.0.0"}-client.{ClientRevision}";

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

    private static ProcessSpec Dotnet(ToolkitPaths paths, string[] arguments, string? protosDir) =>
        new("dotnet", arguments)
        {
            WorkingDirectory = paths.Root,
            Timeout = TimeSpan.FromMinutes(20),
            Environment = new Dictionary<string, string?>
            {
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["DOTNET_NOLOGO"] = "1",
                // MSBuild unescapes %XX in environment values; the path is escaped so it arrives as it is.
                ["ProtosDir"] = protosDir is null ? null : MsBuildEscape(protosDir),
            },
        };

    /// <summary>
    /// Null for the default protos/ (the client project finds it itself); otherwise artifacts/stubs/protos, a
    /// link to the folder, pointed at it anew when it changes.
    /// </summary>
    private static string? ProtosDirForMsBuild(ToolkitPaths paths, string protosOut)
    {
        if (protosOut == Path.GetFullPath(paths.DefaultProtosOut))
        {
            return null;
        }

        var link = Path.Combine(paths.Artifacts, "stubs", "protos");
        Files.AtomicFile.EnsureFolder(Path.GetDirectoryName(link)!);
        var info = new FileInfo(link);
        if (info.Exists || Directory.Exists(link))
        {
            if (info.LinkTarget is null)
            {
                throw new ToolkitException($"{link} exists and is not the link the toolkit makes there; move it away and run Stubs again", ExitCodes.Usage);
            }
        }

        if (info.LinkTarget != protosOut)
        {
            File.Delete(link); // the link only, never what it points at
            File.CreateSymbolicLink(link, protosOut);
        }

        return link;
    }

    private static string MsBuildEscape(string value) =>
        string.Concat(value.Select(c => "%*?@$();'".Contains(c) ? $"%{(int)c:X2}" : c.ToString()));
}
