using System.Text;

namespace ServingBuild.Files;

/// <summary>
/// The one writer for every file the toolkit writes. It refuses to replace anything that is not a regular
/// file (a device, FIFO, socket, folder or link), writes a recognisably named temporary beside the target,
/// flushes it to disk, and renames it over the target, so a reader sees the old file or the new one, never
/// half of one. Temporaries left by a killed run are removed by <see cref="RemoveStaleTemporaries"/>.
/// </summary>
public static class AtomicFile
{
    /// <summary>Every temporary the toolkit writes starts with this, so a later run can recognise and remove it.</summary>
    public const string TemporaryPrefix = ".servingbuild-tmp-";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static void WriteAllText(string path, string text, UnixFileMode? mode = null) =>
        WriteAllBytes(path, Utf8.GetBytes(text), mode);

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, UnixFileMode? mode = null)
    {
        var bytes = content.ToArray();
        Write(path, stream => stream.Write(bytes), mode);
    }

    /// <summary>Copies <paramref name="source"/> (following links) into <paramref name="path"/> as a real file.</summary>
    public static void CopyFrom(string source, string path, UnixFileMode? mode = null)
    {
        try
        {
            using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            Write(path, stream => input.CopyTo(stream, 1 << 20), mode);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ToolkitException($"cannot read {source}: {ex.Message}; check that it exists and is readable");
        }
    }

    /// <summary>Writes through <paramref name="write"/> into a temporary beside <paramref name="path"/>, then renames it into place.</summary>
    public static void Write(string path, Action<Stream> write, UnixFileMode? mode = null)
    {
        var target = Path.GetFullPath(path);
        EnsureReplaceable(target);
        var dir = Path.GetDirectoryName(target)!;
        EnsureFolder(dir);
        var temp = TemporaryPath(target);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            if (mode is { } m && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, m);
            }

            // Checked again just before the rename: something may have appeared there meanwhile.
            EnsureReplaceable(target);
            File.Move(temp, target, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new ToolkitException($"cannot write {target}: {ex.Message}; check the folder is writable and has space", ExitCodes.StageFailed, ex);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Throws when <paramref name="path"/> exists and is not a regular file (so it must not be replaced).</summary>
    public static void EnsureReplaceable(string path)
    {
        var what = Describe(path);
        if (what is not null)
        {
            throw new ToolkitException(
                $"{path} is {what}, not a regular file; the toolkit replaces only regular files it can write: name a file path instead",
                ExitCodes.Usage);
        }
    }

    /// <summary>Null for a regular file or a missing path; otherwise what the path is, in words.</summary>
    public static string? Describe(string path) => new FileStatus(path).Kind;

    /// <summary>Creates the folder (and its parents), turning the usual failures into one line.</summary>
    public static void EnsureFolder(string dir)
    {
        try
        {
            if (File.Exists(dir))
            {
                throw new ToolkitException($"{dir} is a file, and a folder is needed there; move the file or choose another path", ExitCodes.Usage);
            }

            Directory.CreateDirectory(dir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ToolkitException($"cannot create the folder {dir}: {ex.Message}; choose a writable location", ExitCodes.Usage, ex);
        }
    }

    /// <summary>Removes temporaries left in <paramref name="dir"/> by runs whose process no longer exists.</summary>
    public static int RemoveStaleTemporaries(string dir)
    {
        if (!Directory.Exists(dir))
        {
            return 0;
        }

        var removed = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir, TemporaryPrefix + "*"))
        {
            if (OwnerAlive(Path.GetFileName(entry)))
            {
                continue;
            }

            try
            {
                if (Directory.Exists(entry) && new DirectoryInfo(entry).LinkTarget is null)
                {
                    Directory.Delete(entry, recursive: true);
                }
                else
                {
                    File.Delete(entry);
                }

                removed++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another user's or a read-only leftover: not ours to force; the next writable run retries.
            }
        }

        return removed;
    }

    /// <summary>A fresh temporary name beside <paramref name="target"/>, carrying this process's id.</summary>
    public static string TemporaryPath(string target) =>
        Path.Combine(Path.GetDirectoryName(target)!, $"{TemporaryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}-{Path.GetFileName(target)}");

    private static bool OwnerAlive(string name)
    {
        // The name carries the writer's process id: a temporary whose writer still runs is not stale.
        var rest = name[TemporaryPrefix.Length..];
        var dash = rest.IndexOf('-');
        return dash > 0 && int.TryParse(rest[..dash], out var pid) && (pid == Environment.ProcessId || Directory.Exists($"/proc/{pid}"));
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for RemoveStaleTemporaries: its name says whose it is.
        }
    }
}
