using System.Reflection;
using Google.Protobuf.Reflection;
using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.Protos;

/// <summary>
/// Grpc.Tools' protoc (the library references the package only for this binary), run through ProcessRunner
/// to turn protos into descriptor sets. Its errors become one-line exceptions naming file:line:col.
/// </summary>
public sealed class Protoc(ProcessRunner runner, string executable, string wellKnownTypes, string package)
{
    public string Executable { get; } = executable;

    /// <summary>The include folder holding google/protobuf/*.proto.</summary>
    public string WellKnownTypes { get; } = wellKnownTypes;

    /// <summary>"Grpc.Tools 2.85.0": which package the binary comes from (recorded in the lock).</summary>
    public string Package { get; } = package;

    /// <summary>The protoc of the Grpc.Tools package this library was built against.</summary>
    public static Protoc FromGrpcTools(ProcessRunner runner)
    {
        var dir = typeof(Protoc).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "GrpcToolsDir")?.Value;
        if (string.IsNullOrEmpty(dir) || !Directory.Exists(dir))
        {
            throw new ToolkitException($"Grpc.Tools' folder '{dir}' is missing; restore the toolkit (dotnet restore) so protoc is available", ExitCodes.Prerequisite);
        }

        var platform = OperatingSystem.IsLinux()
            ? System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "linux_arm64" : "linux_x64"
            : OperatingSystem.IsMacOS() ? "macosx_x64" : "windows_x64";
        var exe = Path.Combine(dir, "tools", platform, OperatingSystem.IsWindows() ? "protoc.exe" : "protoc");
        if (!File.Exists(exe))
        {
            throw new ToolkitException($"protoc is not at {exe}; restore the toolkit (dotnet restore) so Grpc.Tools is complete", ExitCodes.Prerequisite);
        }

        if (!OperatingSystem.IsWindows())
        {
            // NuGet may extract without the execute bit for group/others; the owner needs it.
            var mode = File.GetUnixFileMode(exe);
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(exe, mode | UnixFileMode.UserExecute);
            }
        }

        var version = Path.GetFileName(Path.TrimEndingDirectorySeparator(dir));
        return new Protoc(runner, exe, Path.Combine(dir, "build", "native", "include"), $"Grpc.Tools {version}");
    }

    public async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        var result = await runner.RunCheckedAsync(new ProcessSpec(Executable, "--version") { Timeout = TimeSpan.FromSeconds(30) }, "protoc --version", cancellationToken: cancellationToken).ConfigureAwait(false);
        return result.StandardOutput.Trim();
    }

    /// <summary>
    /// Parses <paramref name="files"/> (names relative to the include roots) with every import into one
    /// descriptor set. <paramref name="locate"/> maps a name protoc prints to the file on disk, for messages.
    /// </summary>
    public async Task<FileDescriptorSet> ParseAsync(IReadOnlyList<string> includeRoots, IReadOnlyList<string> files, bool sourceInfo,
        Func<string, string> locate, CancellationToken cancellationToken)
    {
        var (set, result) = await TryParseAsync(includeRoots, files, sourceInfo, cancellationToken).ConfigureAwait(false);
        return set ?? throw Explain(result, includeRoots, locate);
    }

    /// <summary>Like <see cref="ParseAsync"/>, but a failure returns protoc's result (for callers that read its diagnostics).</summary>
    public async Task<(FileDescriptorSet? Set, ProcessResult Result)> TryParseAsync(IReadOnlyList<string> includeRoots, IReadOnlyList<string> files, bool sourceInfo,
        CancellationToken cancellationToken)
    {
        var outFile = Path.Combine(Path.GetTempPath(), $"servingbuild-protoc-{Guid.NewGuid():N}.pb");
        var args = new List<string>();
        args.AddRange(includeRoots.Select(r => "-I" + r));
        args.Add("-I" + WellKnownTypes);
        args.Add("--include_imports");
        if (sourceInfo)
        {
            args.Add("--include_source_info");
        }

        args.Add("--descriptor_set_out=" + outFile);
        args.AddRange(files);
        try
        {
            var result = await runner.RunAsync(new ProcessSpec(Executable, args) { Timeout = TimeSpan.FromMinutes(2) }, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                return (null, result);
            }

            return (FileDescriptorSet.Parser.ParseFrom(await File.ReadAllBytesAsync(outFile, cancellationToken).ConfigureAwait(false)), result);
        }
        finally
        {
            File.Delete(outFile);
        }
    }

    /// <summary>protoc's first error, as one line a user can act on.</summary>
    internal ToolkitException Explain(ProcessResult result, IReadOnlyList<string> includeRoots, Func<string, string> locate)
    {
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var missing = lines.FirstOrDefault(l => l.EndsWith(": File not found.", StringComparison.Ordinal));
        if (missing is not null)
        {
            var name = missing[..^": File not found.".Length];
            var importer = lines.Select(ProtocMessage.TryParse).FirstOrDefault(m => m is not null && m.Text.Contains($"\"{name}\"", StringComparison.Ordinal));
            var at = importer is null ? "an input" : $"{locate(importer.File)}:{importer.Line}:{importer.Column}";
            return new ProtoFileMissingException(name, at, includeRoots.Append(WellKnownTypes).ToList());
        }

        // The first located message is the cause; the "Import ... had errors" lines that follow are echoes.
        var first = lines.Select(ProtocMessage.TryParse).FirstOrDefault(m => m is { HasPosition: true } && !m.Text.StartsWith("Import \"", StringComparison.Ordinal))
            ?? lines.Select(ProtocMessage.TryParse).FirstOrDefault(m => m is not null);
        if (first is not null)
        {
            return new ProtoSyntaxException(first.HasPosition ? $"{locate(first.File)}:{first.Line}:{first.Column}" : locate(first.File), first.Text);
        }

        var why = result.TimedOut ? "timed out" : $"exit code {result.ExitCode}";
        return new ToolkitException($"protoc failed ({why}): {lines.FirstOrDefault() ?? "no output"}; run with --verbose to see its output");
    }
}
