using System.Formats.Tar;
using ServingBuild.Processes;

namespace ServingBuild.Protos.Drift;

/// <summary>
/// The .proto files of a serving checkout as they are at a git ref (`git archive`), in a temporary folder of
/// this run that is removed on Dispose. The ref is resolved to a commit first, so only a commit id reaches
/// `git archive`; a folder inside a larger repository (the bundled workspace) takes its own subtree.
/// </summary>
public sealed class GitRefTree : IDisposable
{
    private readonly string _temp;

    private GitRefTree(string temp, string dir, string gitRef, string commit, string prefix)
    {
        _temp = temp;
        Dir = dir;
        Ref = gitRef;
        Commit = commit;
        Prefix = prefix;
    }

    /// <summary>The serving tree at the ref.</summary>
    public string Dir { get; }

    public string Ref { get; }

    public string Commit { get; }

    /// <summary>The serving tree's folder inside its repository ("" at the top, else ending in '/').</summary>
    public string Prefix { get; }

    public static async Task<GitRefTree> ExtractAsync(ProcessRunner runner, string servingDir, string gitRef, CancellationToken cancellationToken)
    {
        ProcessResult prefix;
        try
        {
            prefix = await runner.RunAsync(new ProcessSpec("git", "-C", servingDir, "rev-parse", "--show-toplevel", "--show-prefix") { Timeout = TimeSpan.FromSeconds(30) }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ProgramNotFoundException)
        {
            throw new ToolkitException($"--against={gitRef} needs git, which is not installed; install git (apt-get install git, yum install git)", ExitCodes.Prerequisite);
        }

        if (!prefix.Succeeded)
        {
            throw new ToolkitException($"--against={gitRef}: {servingDir} is not a git checkout, so it has no refs to compare with; pass a --serving-dir that is a git clone, or leave out --against", ExitCodes.Usage);
        }

        var commit = await runner.RunAsync(new ProcessSpec("git", "-C", servingDir, "rev-parse", "--verify", "--quiet", gitRef + "^{commit}") { Timeout = TimeSpan.FromSeconds(30) }, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!commit.Succeeded || commit.StandardOutput.Trim().Length == 0)
        {
            throw new ToolkitException($"--against={gitRef}: no such tag, branch or commit in the git checkout {servingDir}; `git -C {servingDir} tag` lists the tags (fetch them first with git fetch --tags)", ExitCodes.Usage);
        }

        var sha = commit.StandardOutput.Trim();
        var lines = prefix.StandardOutput.Split('\n', StringSplitOptions.TrimEntries);
        var top = lines[0];
        var folder = lines.Length > 1 ? lines[1] : "";
        var temp = Directory.CreateTempSubdirectory("servingbuild-against-").FullName;
        try
        {
            var tar = Path.Combine(temp, "tree.tar");
            var treeIsh = folder.Length == 0 ? sha : $"{sha}:{folder}";
            // From the top level: there a pathspec means the same in every checkout.
            var archive = await runner.RunAsync(new ProcessSpec("git", "-C", top, "archive", "--format=tar", "--output=" + tar, treeIsh, "--", "*.proto") { Timeout = TimeSpan.FromMinutes(5) },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!archive.Succeeded)
            {
                var why = archive.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? $"exit code {archive.ExitCode}";
                throw new ToolkitException($"--against={gitRef}: git archive of {sha[..Math.Min(12, sha.Length)]} failed in {servingDir} ({why}); check that the ref holds the serving tree", ExitCodes.Usage);
            }

            var dir = Path.Combine(temp, "tree");
            Directory.CreateDirectory(dir);
            try
            {
                await TarFile.ExtractToDirectoryAsync(tar, dir, overwriteFiles: false, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                // e.g. a symbolic link among the .proto files that points outside the tree.
                throw new ToolkitException($"--against={gitRef}: the .proto files of {sha[..Math.Min(12, sha.Length)]} cannot be unpacked ({ex.Message}); compare a ref whose protos are plain files", ExitCodes.StageFailed, ex);
            }

            File.Delete(tar);
            return new GitRefTree(temp, dir, gitRef, sha, folder);
        }
        catch
        {
            Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_temp))
        {
            Directory.Delete(_temp, recursive: true);
        }
    }
}
