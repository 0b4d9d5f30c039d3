namespace ServingBuild.Protos;

/// <summary>
/// The output folder, replaced as a whole: files are written to a temporary sibling folder (same file
/// system, so the moves are renames) and swapped in only after every check passed.
/// </summary>
public sealed class ProtosOutputFolder : IDisposable
{
    private bool _committed;

    public ProtosOutputFolder(string target)
    {
        Target = Path.GetFullPath(target);
        var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Target))!;
        Directory.CreateDirectory(parent);
        Staging = Path.Combine(parent, $".{Path.GetFileName(Path.TrimEndingDirectorySeparator(Target))}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Staging);
    }

    public string Target { get; }

    public string Staging { get; }

    /// <summary>Refuses a target holding files the stage did not write (the swap would delete them).</summary>
    public static void EnsureOwned(string target)
    {
        if (!Directory.Exists(target))
        {
            return;
        }

        var stranger = Directory.EnumerateFileSystemEntries(target, "*", SearchOption.AllDirectories)
            .Where(File.Exists)
            .Select(f => Path.GetRelativePath(target, f))
            .FirstOrDefault(f => !f.EndsWith(".proto", StringComparison.Ordinal) && f != ProtosLock.FileName);
        if (stranger is not null)
        {
            throw new ProtosOutputNotOwnedException(target, stranger);
        }
    }

    public void Write(string relative, byte[] content)
    {
        var path = Path.Combine(Staging, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
    }

    /// <summary>Moves the staged folder into place; the old one is kept aside until the move succeeded.</summary>
    public void Commit()
    {
        if (!Directory.Exists(Target))
        {
            Directory.Move(Staging, Target);
            _committed = true;
            return;
        }

        var aside = Staging.Replace(".tmp-", ".old-", StringComparison.Ordinal);
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

        _committed = true;
        Directory.Delete(aside, recursive: true);
    }

    public void Dispose()
    {
        if (!_committed && Directory.Exists(Staging))
        {
            Directory.Delete(Staging, recursive: true);
        }
    }
}
