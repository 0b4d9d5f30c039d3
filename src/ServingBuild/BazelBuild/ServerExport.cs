using System.Security.Cryptography;
using ServingBuild.Protos;
using ServingBuild.Tasks;

namespace ServingBuild.BazelBuild;

/// <summary>
/// Hands the built server on beyond Bazel's output base: copies bazel-bin's tensorflow_model_server into
/// artifacts/bin/ as a real file (0755) and writes its manifest beside it, so a later CI job on another runner,
/// or Verify after `bazel clean --expunge`, has the binary and knows what it is and what it needs.
/// </summary>
public static class ServerExport
{
    public const string BinaryName = "tensorflow_model_server";

    public const UnixFileMode Executable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>artifacts/bin/tensorflow_model_server.</summary>
    public static string ExportedPath(ToolkitPaths paths) => Path.Combine(paths.Artifacts, "bin", BinaryName);

    /// <summary>Describes <paramref name="binary"/> (hash, size, ELF needs, provenance) without copying it.</summary>
    public static async Task<ServerManifest> DescribeAsync(string binary, string servingDir, string? bazelVersion, IReadOnlyList<string> bazelOptions, StageContext context, CancellationToken cancellationToken)
    {
        var elf = ElfImage.TryRead(binary)
            ?? throw new ToolkitException($"{binary} is not an ELF executable; the server target of this checkout must be a cc_binary");
        var git = await GitInfo.ReadAsync(servingDir, context.Runner, cancellationToken).ConfigureAwait(false);
        return new ServerManifest
        {
            Binary = BinaryName,
            Sha256 = Sha256(binary),
            Size = new FileInfo(binary).Length,
            BazelVersion = bazelVersion,
            BazelOptions = bazelOptions,
            ServingCommit = git.Commit,
            ServingVersion = ServingVersion.Detect(servingDir, git.Tag)?.ToString(),
            Glibc = Text(elf.Glibc),
            Glibcxx = Text(elf.Glibcxx),
            CentOs7Compatible = ServerManifest.RunsOnCentOs7(elf.Glibc, elf.Glibcxx),
        };
    }

    /// <summary>Copies the binary into artifacts/bin/ and writes the manifest after it (a reader that finds the manifest finds its binary).</summary>
    public static async Task<ServerManifest> ExportAsync(string builtBinary, string servingDir, string? bazelVersion, IReadOnlyList<string> bazelOptions, StageContext context, CancellationToken cancellationToken)
    {
        var target = ExportedPath(context.Paths);
        Files.AtomicFile.CopyFrom(builtBinary, target, Executable);
        var manifest = await DescribeAsync(target, servingDir, bazelVersion, bazelOptions, context, cancellationToken).ConfigureAwait(false);
        manifest.WriteTo(ServerManifest.PathFor(target));
        var rel = Path.GetRelativePath(context.Paths.Root, target);
        context.Log.Info($"exported {rel} ({manifest.Size / 1024.0 / 1024.0:0.0} MiB, sha256 {manifest.Sha256[..12]}…, needs GLIBC {manifest.Glibc ?? "none"}, GLIBCXX {manifest.Glibcxx ?? "none"}) with {rel}{ServerManifest.Suffix}");
        if (!manifest.CentOs7Compatible)
        {
            context.Log.Warn($"{rel} needs GLIBC {manifest.Glibc ?? "none"} / GLIBCXX {manifest.Glibcxx ?? "none"} and CentOS 7 has GLIBC 2.17 / GLIBCXX 3.4.19, so it will not start there; build on a CentOS 7 host (--build-host, or the script from --emit-script) to serve from CentOS 7");
        }

        return manifest;
    }

    public static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>2.34 and 3.4.30 as written in the manifest (two or three parts, as the symbol version has them).</summary>
    public static string? Text(Version? v) => v?.ToString();
}
