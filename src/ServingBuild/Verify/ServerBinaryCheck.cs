using System.Text;
using ServingBuild.BazelBuild;
using ServingBuild.Files;
using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.Verify;

/// <summary>
/// Chooses the model server Verify starts and proves it can start here before anything is written:
/// --server-binary=PATH, else artifacts/bin/tensorflow_model_server (BazelBuild's export, which a CI job
/// receives as an artifact) when present, else the checkout's bazel-bin. Each problem is one line.
/// </summary>
public static class ServerBinaryCheck
{
    /// <summary>Returns the binary's absolute path, or throws one line saying what is wrong with it and the fix.</summary>
    public static async Task<string> RunAsync(StageContext context, CancellationToken cancellationToken)
    {
        var (path, source) = Choose(context);
        var exported = ServerExport.ExportedPath(context.Paths);
        var shown = source == "--server-binary" ? $"--server-binary={path}" : path;

        // A link (bazel-bin's own files are links on some setups) is judged by what it points at.
        var what = AtomicFile.Describe(path);
        if (what == "a symbolic link")
        {
            var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
            what = target is null || !target.Exists && !Directory.Exists(target.FullName) ? "missing" : AtomicFile.Describe(target.FullName);
        }
        else if (!File.Exists(path) && !Directory.Exists(path))
        {
            what = "missing";
        }

        switch (what)
        {
            case "missing" when source == "bazel-bin":
                throw new ModelServerNotBuiltException($"{path} does not exist; build it with ./build.sh --target=BazelBuild, pass --server-binary=PATH, or pass --server=host:port to verify a running server");
            case "missing":
                throw new ServerBinaryUnusableException($"{shown}: no such file; pass the path of tensorflow_model_server (BazelBuild exports it to {Relative(context, exported)})");
            case "a folder":
                throw new ServerBinaryUnusableException($"{shown} is a folder, not the server binary; pass the file, e.g. --server-binary={Path.Combine(path, ServerExport.BinaryName)}");
            case not null:
                throw new ServerBinaryUnusableException($"{shown} is {what}, not the server binary; pass the tensorflow_model_server file BazelBuild built or exported");
        }

        if (!IsExecutable(path))
        {
            throw new ServerBinaryUnusableException($"{shown} is not executable (mode {Convert.ToString((int)Mode(path), 8)}); `chmod 755` it, or hand it between CI jobs in a tar archive, which keeps the mode (ci/ templates)");
        }

        var elf = ElfImage.TryRead(path);
        if (elf is null)
        {
            var kind = StartsWithShebang(path) ? $"a script ({FirstLine(path)})" : "not an ELF executable";
            throw new ServerBinaryUnusableException($"{shown} is {kind}, not the server binary; pass the tensorflow_model_server file BazelBuild built or exported");
        }

        if (ElfImage.HostMachine is { } host && elf.Machine != host)
        {
            throw new ServerBinaryUnusableException($"{shown} is built for {elf.MachineName} and this host is {ElfImage.NameOf(host)}; verify on a {elf.MachineName} host, or build for this one");
        }

        if (elf.Glibc is { } needed && await HostGlibcAsync(context.Runner, cancellationToken).ConfigureAwait(false) is { } have && needed > have)
        {
            throw new ServerBinaryUnusableException(
                $"{shown} needs GLIBC_{needed} and this host has glibc {have}; verify on a host with glibc {needed} or newer, or build the server on a host as old as the one that runs it",
                ExitCodes.Prerequisite);
        }

        var manifestPath = ServerManifest.PathFor(path);
        var inExport = string.Equals(Path.GetDirectoryName(path), Path.GetDirectoryName(exported), StringComparison.Ordinal);
        if (File.Exists(manifestPath))
        {
            var manifest = ServerManifest.ReadFrom(manifestPath);
            var sha = ServerExport.Sha256(path);
            if (!string.Equals(sha, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new ServerBinaryUnusableException($"{shown} does not match its manifest {Path.GetFileName(manifestPath)} (sha256 {sha[..12]}…, manifest says {manifest.Sha256[..Math.Min(12, manifest.Sha256.Length)]}…); the binary changed after BazelBuild exported it: hand on artifacts/bin/ as one artifact, or export again with ./build.sh --target=BazelBuild");
            }
        }
        else if (inExport)
        {
            throw new ServerBinaryUnusableException($"{shown} has no manifest beside it ({Path.GetFileName(manifestPath)}); hand on the whole artifacts/bin/ folder, or export again with ./build.sh --target=BazelBuild");
        }

        context.Log.Detail($"Verify: server binary {path} ({source}; {elf.MachineName}, needs GLIBC {elf.Glibc?.ToString() ?? "none"})");
        return path;
    }

    /// <summary>The binary to check and where the choice came from: --server-binary, artifacts/bin or bazel-bin.</summary>
    public static (string Path, string Source) Choose(StageContext context)
    {
        if (context.Options.ServerBinary is { } given)
        {
            return (given, "--server-binary");
        }

        var exported = ServerExport.ExportedPath(context.Paths);
        return new FileStatus(exported).Exists
            ? (exported, "artifacts/bin")
            : (ServerBinary.PathFor(context.Options.ServingDir), "bazel-bin");
    }

    /// <summary>glibc's version from `getconf GNU_LIBC_VERSION` ("glibc 2.36"); null on a libc that is not glibc.</summary>
    public static async Task<Version?> HostGlibcAsync(ProcessRunner runner, CancellationToken cancellationToken)
    {
        try
        {
            var result = await runner.RunAsync(new ProcessSpec("getconf", "GNU_LIBC_VERSION") { Timeout = TimeSpan.FromSeconds(30) }, cancellationToken: cancellationToken).ConfigureAwait(false);
            var words = result.StandardOutput.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return result.Succeeded && words.Length == 2 && words[0] == "glibc" && Version.TryParse(words[1], out var v) ? v : null;
        }
        catch (ProgramNotFoundException)
        {
            return null;
        }
    }

    // Windows has no mode bits; the toolkit does not run servers there, so it counts as executable.
    private static UnixFileMode Mode(string path) => OperatingSystem.IsWindows() ? (UnixFileMode)0x1ED : File.GetUnixFileMode(path);

    private static bool IsExecutable(string path) =>
        (Mode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    private static bool StartsWithShebang(string path)
    {
        var head = new byte[2];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(head, 2, throwOnEndOfStream: false) == 2 && head[0] == '#' && head[1] == '!';
    }

    private static string FirstLine(string path)
    {
        var buffer = new byte[80];
        int read;
        using (var stream = File.OpenRead(path))
        {
            read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }

        var text = Encoding.UTF8.GetString(buffer, 0, read);
        var end = text.IndexOfAny(['\n', '\r']);
        return (end < 0 ? text : text[..end]).Trim();
    }

    private static string Relative(StageContext context, string path) => Path.GetRelativePath(context.Paths.Root, path);
}
