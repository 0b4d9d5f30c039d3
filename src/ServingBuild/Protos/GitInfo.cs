using ServingBuild.Processes;
using ServingBuild.Tasks;

namespace ServingBuild.Protos;

/// <summary>The commit and exact tag of a serving tree that is itself a git checkout (its top level), else nothing.</summary>
public sealed record GitInfo(string? Commit, string? Tag)
{
    public static async Task<GitInfo> ReadAsync(string dir, ProcessRunner runner, CancellationToken cancellationToken)
    {
        // Only the checkout's own top level counts: a tree inside another repository (the bundled one) has no commit of its own.
        if (!Directory.Exists(Path.Combine(dir, ".git")) && !File.Exists(Path.Combine(dir, ".git")))
        {
            return new GitInfo(null, null);
        }

        try
        {
            var head = await runner.RunAsync(new ProcessSpec("git", "-C", dir, "rev-parse", "HEAD") { Timeout = TimeSpan.FromSeconds(30) }, cancellationToken: cancellationToken).ConfigureAwait(false);
            var tag = await runner.RunAsync(new ProcessSpec("git", "-C", dir, "describe", "--tags", "--exact-match", "HEAD") { Timeout = TimeSpan.FromSeconds(30) }, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new GitInfo(head.Succeeded ? head.StandardOutput.Trim() : null, tag.Succeeded ? tag.StandardOutput.Trim() : null);
        }
        catch (ProgramNotFoundException)
        {
            return new GitInfo(null, null);
        }
    }
}
