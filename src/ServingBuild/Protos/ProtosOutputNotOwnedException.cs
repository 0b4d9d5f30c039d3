namespace ServingBuild.Protos;

/// <summary>
/// --protos-out is not the stage's to replace (a user's files, a link, a special file, a mount point): the stage
/// swaps the whole folder, so it writes only into a new or empty folder, or one holding its own protos.lock.json
/// and nothing that lock does not list.
/// </summary>
public sealed class ProtosOutputNotOwnedException(string dir, string reason)
    : ToolkitException($"--protos-out={dir} {reason}; the Protos task replaces the whole folder, so it writes only to a new or empty folder or one it wrote before: name another --protos-out, or move your files out", ExitCodes.Usage)
{
}
