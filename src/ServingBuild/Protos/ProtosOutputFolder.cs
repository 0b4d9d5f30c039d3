using ServingBuild.Files;

namespace ServingBuild.Protos;

/// <summary>
/// The output folder, replaced as a whole: files are written to a temporary sibling folder (same file
/// system, so the swap is a rename; named like every toolkit temporary, so a killed run's leftovers are
/// removed by the next) and exchanged with the old folder in one atomic rename only after every check passed.
/// The folder is replaced only when it is the toolkit's: missing, empty, or holding nothing but the
/// protos.lock.json it wrote and the files that lock lists.
/// </summary>
public sealed class ProtosOutputFolder : IDisposable
{
    /// <summary>How long a run waits for another run writing the same output.</summary>
    public static readonly TimeSpan LockWait = TimeSpan.FromMinutes(2);

    private readonly bool _dryRun;

    /// <param name="dryRun">Stage in the system's temporary folder and never commit: a dry run creates nothing beside the output.</param>
    public ProtosOutputFolder(string target, bool dryRun = false)
    {
        Target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        _dryRun = dryRun;
        try
        {
            Staging = dryRun
                ? Directory.CreateTempSubdirectory(AtomicFile.TemporaryPrefix + Environment.ProcessId + "-protos-").FullName
                : AtomicFile.TemporaryPath(Target);
            Directory.CreateDirectory(Staging);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw AtomicFile.CannotWrite(Path.GetDirectoryName(Target)!, ex);
        }
    }

    public string Target { get; }

    public string Staging { get; }

    /// <summary>
    /// Locks the output's parent folder (created when missing) against other runs and removes the temporaries
    /// killed runs left there. Call it after <see cref="EnsureOwned"/> and check ownership again once it is held.
    /// </summary>
    public static async Task<OutputLock> LockAsync(string target, Action<string> waiting, CancellationToken cancellationToken)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        var parent = Path.GetDirectoryName(full) ?? throw new ProtosOutputNotOwnedException(full, "is the root folder");
        AtomicFile.EnsureFolder(parent);
        var held = await OutputLock.AcquireAsync(parent, $"--protos-out={full}", LockWait, cancellationToken, waiting).ConfigureAwait(false);
        AtomicFile.RemoveStaleTemporaries(parent);
        return held;
    }

    /// <summary>Refuses a target the stage did not write: replacing it would delete what it holds.</summary>
    public static void EnsureOwned(string target)
    {
        target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        var status = new FileStatus(target);
        if (!status.Exists)
        {
            return;
        }

        if (Path.GetDirectoryName(target) is null)
        {
            throw new ProtosOutputNotOwnedException(target, "is the root folder");
        }

        if (status.Kind != "a folder")
        {
            throw new ProtosOutputNotOwnedException(target, status.Kind switch
            {
                null => "is a file, not a folder",
                "a symbolic link" => "is a symbolic link (the task never replaces what a link points to; name the real folder)",
                var kind => $"is {kind}, not a folder",
            });
        }

        if (status.IsMountRoot(target))
        {
            throw new ProtosOutputNotOwnedException(target, "is a mount point, which cannot be replaced as a whole (name a folder inside it)");
        }

        List<string> entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries(target).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ProtosOutputNotOwnedException(target, $"cannot be read ({AtomicFile.OneLine(ex.Message)})");
        }

        if (entries.Count == 0)
        {
            return;
        }

        var lockPath = Path.Combine(target, ProtosLock.FileName);
        if (new FileStatus(lockPath) is not { Exists: true, Kind: null })
        {
            var first = Path.GetFileName(entries.Order(StringComparer.Ordinal).First());
            throw new ProtosOutputNotOwnedException(target, $"holds {first} and no {ProtosLock.FileName}, so it is not a folder this stage wrote");
        }

        ProtosLock theLock;
        try
        {
            theLock = ProtosLock.Read(target)!;
        }
        catch (ProtosLockInvalidException)
        {
            throw new ProtosOutputNotOwnedException(target, $"holds a {ProtosLock.FileName} this stage cannot read, so it cannot tell its own files from yours");
        }

        var listed = theLock.Outputs.Select(o => o.Path).Append(ProtosLock.FileName).ToHashSet(StringComparer.Ordinal);
        var folders = listed.SelectMany(Ancestors).ToHashSet(StringComparer.Ordinal);
        if (Stranger(target, "", listed, folders) is { } stranger)
        {
            throw new ProtosOutputNotOwnedException(target, $"holds {stranger}, which its {ProtosLock.FileName} does not list (not a file this stage wrote)");
        }
    }

    /// <summary>Writes one file into the staging folder.</summary>
    public void Write(string relative, byte[] content) =>
        AtomicFile.WriteAllBytes(Path.Combine(Staging, relative), content);

    /// <summary>Swaps the staged folder into place in one rename; the old one is then removed.</summary>
    public void Commit()
    {
        if (_dryRun)
        {
            throw new InvalidOperationException("a dry run never commits");
        }

        var parent = Path.GetDirectoryName(Target)!;
        try
        {
            if (!Directory.Exists(Target))
            {
                Directory.Move(Staging, Target);
                UnixCalls.SyncFolder(parent);
                return;
            }

            if (UnixCalls.RenameAt2(UnixCalls.AtFdCwd, Staging, UnixCalls.AtFdCwd, Target, UnixCalls.RenameExchange) != 0)
            {
                // No atomic exchange on this file system: two renames, the old folder aside under a temporary
                // name (so a run killed between them leaves only something the next run recognises and removes).
                var aside = AtomicFile.TemporaryPath(Target, "old");
                Directory.Move(Target, aside);
                try
                {
                    Directory.Move(Staging, Target);
                }
                catch
                {
                    Directory.Move(aside, Target);
                    throw;
                }

                UnixCalls.SyncFolder(parent);
                Directory.Delete(aside, recursive: true);
                return;
            }

            // Staging now holds the old output: Dispose removes it.
            UnixCalls.SyncFolder(parent);
            Directory.Delete(Staging, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw AtomicFile.CannotWrite(Target, ex);
        }
    }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Staging))
            {
                Directory.Delete(Staging, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Its name marks it as a temporary: the next run removes it.
        }
    }

    private static IEnumerable<string> Ancestors(string relative)
    {
        for (var dir = Path.GetDirectoryName(relative); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            yield return dir.Replace('\\', '/');
        }
    }

    /// <summary>The first entry (relative, '/'-separated) that is neither a listed file nor a folder on the way to one; links and special files never are.</summary>
    private static string? Stranger(string root, string relative, IReadOnlySet<string> files, IReadOnlySet<string> folders)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(Path.Combine(root, relative)).Order(StringComparer.Ordinal))
        {
            var rel = relative.Length == 0 ? Path.GetFileName(entry) : relative + "/" + Path.GetFileName(entry);
            var kind = new FileStatus(entry).Kind;
            if (kind is null && files.Contains(rel))
            {
                continue;
            }

            if (kind == "a folder" && folders.Contains(rel))
            {
                if (Stranger(root, rel, files, folders) is { } inner)
                {
                    return inner;
                }

                continue;
            }

            return kind is null or "a folder" ? rel : $"{rel} ({kind})";
        }

        return null;
    }
}
