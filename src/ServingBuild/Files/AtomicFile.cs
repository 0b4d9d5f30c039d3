using System.Text;

namespace ServingBuild.Files;

/// <summary>
/// The one writer for every file the toolkit writes. It refuses to replace anything that is not a regular
/// file (a device, FIFO, socket, folder or link), writes a recognisably named temporary beside the target
/// (created 0600, so a half-written file is nobody else's to read), flushes it to disk, renames it over the
/// target and syncs the folder, so a reader sees the old file or the new one, never half of one. A replaced
/// file keeps its mode unless one is given; a new one gets 0644. Temporaries left by a killed run are removed
/// by <see cref="RemoveStaleTemporaries"/>, which every write runs on its folder first.
/// </summary>
public static class AtomicFile
{
    /// <summary>Every temporary the toolkit writes (files and folders) starts with this, so a later run can recognise and remove it.</summary>
    public const string TemporaryPrefix = ".servingbuild-tmp-";

    /// <summary>The mode of a new file when none is given: what a user's umask 022 would give.</summary>
    public const UnixFileMode DefaultMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>rwxr-xr-x, for scripts and binaries.</summary>
    public const UnixFileMode ExecutableMode = DefaultMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    // File names are limited to 255 bytes; the temporary adds about 60 to the target's name.
    private const int MaxNameInTemporary = 120;

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
        FileStream input;
        try
        {
            if (new FileStatus(source) is { Exists: true, Kind: { } kind } && kind != "a symbolic link")
            {
                throw new ToolkitException($"cannot copy {source}: it is {kind}, not a regular file");
            }

            input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ToolkitException($"cannot read {source}: {OneLine(ex.Message)}; check that it exists and is readable");
        }

        using (input)
        {
            Write(path, stream => input.CopyTo(stream, 1 << 20), mode);
        }
    }

    /// <summary>Writes through <paramref name="write"/> into a temporary beside <paramref name="path"/>, then renames it into place.</summary>
    public static void Write(string path, Action<Stream> write, UnixFileMode? mode = null) =>
        WriteAsync(path, (stream, _) =>
        {
            write(stream);
            return Task.CompletedTask;
        }, mode, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// The asynchronous form of <see cref="Write"/> (downloads). <paramref name="check"/> runs on the finished
    /// temporary before the rename (a checksum); when it throws, the target is left as it was.
    /// </summary>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, UnixFileMode? mode, CancellationToken cancellationToken, Action<string>? check = null)
    {
        var target = TargetPath(path);
        EnsureReplaceable(target);
        var dir = Path.GetDirectoryName(target)!;
        EnsureFolder(dir);
        RemoveStaleTemporaries(dir);
        var finalMode = mode ?? ExistingMode(target) ?? DefaultMode;
        var temp = TemporaryPath(target);
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 1 << 16,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var stream = new FileStream(temp, options))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            check?.Invoke(temp);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, finalMode);
            }

            // Checked again just before the rename: something may have appeared there meanwhile.
            EnsureReplaceable(target);
            File.Move(temp, target, overwrite: true);
            UnixCalls.SyncFolder(dir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw CannotWrite(target, ex);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>
    /// A log that is written while a task runs: a fresh file is created beside the target and renamed into place
    /// at once, so the log is visible while it grows, a FIFO or device there is refused, and a link is replaced,
    /// not followed.
    /// </summary>
    public static FileStream CreateStreaming(string path, UnixFileMode? mode = null)
    {
        var target = TargetPath(path);
        EnsureReplaceable(target);
        var dir = Path.GetDirectoryName(target)!;
        EnsureFolder(dir);
        RemoveStaleTemporaries(dir);
        var temp = TemporaryPath(target);
        FileStream? stream = null;
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.ReadWrite, BufferSize = 0 };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = mode ?? DefaultMode;
            }

            stream = new FileStream(temp, options);
            EnsureReplaceable(target);
            File.Move(temp, target, overwrite: true);
            return stream;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stream?.Dispose();
            TryDelete(temp);
            throw CannotWrite(target, ex);
        }
    }

    /// <summary>Throws when <paramref name="path"/> exists and is not a regular file (so it must not be replaced).</summary>
    public static void EnsureReplaceable(string path)
    {
        var what = Describe(path);
        if (what is not null)
        {
            throw new ToolkitException(
                $"{path} is {what}, not a regular file; the toolkit replaces only regular files, so name a file path instead",
                ExitCodes.Usage);
        }
    }

    /// <summary>Null for a regular file or a missing path; otherwise what the path is, in words.</summary>
    public static string? Describe(string path) => new FileStatus(path).Kind;

    /// <summary>
    /// Creates the folder (and its parents), turning the usual failures into one line: a file where a folder
    /// is needed (at any level), a read-only or unwritable parent.
    /// </summary>
    public static void EnsureFolder(string dir)
    {
        dir = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir));
        if (dir.Length == 0 || Directory.Exists(dir))
        {
            return;
        }

        // The nearest existing ancestor must be a folder: "below a file" is the user's mistake to name.
        for (var up = dir; !string.IsNullOrEmpty(up); up = Path.GetDirectoryName(up))
        {
            var status = new FileStatus(up);
            if (!status.Exists)
            {
                continue;
            }

            if (!Directory.Exists(up))
            {
                throw new ToolkitException(
                    $"cannot create the folder {dir}: {up} is {status.Kind ?? "a file"}, not a folder; move it or choose another path",
                    ExitCodes.Usage);
            }

            break;
        }

        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ToolkitException($"cannot create the folder {dir}: {OneLine(ex.Message)}; choose a writable location", ExitCodes.Usage, ex);
        }
    }

    /// <summary>Removes temporaries (files and folders) left in <paramref name="dir"/> by runs whose process no longer exists.</summary>
    public static int RemoveStaleTemporaries(string dir)
    {
        IEnumerable<string> entries;
        try
        {
            if (!Directory.Exists(dir))
            {
                return 0;
            }

            entries = Directory.EnumerateFileSystemEntries(dir, TemporaryPrefix + "*").ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0; // An unreadable folder: the write that follows names the problem.
        }

        var removed = 0;
        foreach (var entry in entries)
        {
            if (OwnerAlive(Path.GetFileName(entry)))
            {
                continue;
            }

            try
            {
                // A folder is removed with what it holds; a link (to anything) only as the link itself.
                if (new FileStatus(entry).Kind == "a folder")
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
    public static string TemporaryPath(string target, string? role = null)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(target));
        if (name.Length > MaxNameInTemporary)
        {
            name = name[..MaxNameInTemporary];
        }

        var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(target))!;
        return Path.Combine(parent, $"{TemporaryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}-{(role is null ? "" : role + "-")}{name}");
    }

    /// <summary>True when the temporary's writer (the process id in its name) is still running.</summary>
    public static bool OwnerAlive(string name)
    {
        if (!name.StartsWith(TemporaryPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = name[TemporaryPrefix.Length..];
        var dash = rest.IndexOf('-');
        return dash > 0 && int.TryParse(rest[..dash], out var pid) && (pid == Environment.ProcessId || Directory.Exists($"/proc/{pid}"));
    }

    /// <summary>The failure of a write as one line; a read-only or forbidden location is the user's to change (exit 2).</summary>
    internal static ToolkitException CannotWrite(string target, Exception ex)
    {
        var message = OneLine(ex.Message);
        var location = ex is UnauthorizedAccessException || message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase);
        return new ToolkitException(
            location
                ? $"cannot write {target}: {message}; the folder is read-only or not writable, choose a writable location"
                : $"cannot write {target}: {message}; check the disk has space and the folder is writable",
            location ? ExitCodes.Usage : ExitCodes.StageFailed,
            ex);
    }

    /// <summary>An exception's text as one line, without .NET's " : 'path'" suffix (the caller names the path the user gave).</summary>
    internal static string OneLine(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text.ReplaceLineEndings(" "), @"\s*:\s*'[^']*'\.?$", "").Trim();

    private static string TargetPath(string path)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw new ToolkitException("an output file path is empty; name a file", ExitCodes.Usage);
        }

        var full = Path.GetFullPath(path);
        if (Path.EndsInDirectorySeparator(full) || Path.GetDirectoryName(full) is null)
        {
            throw new ToolkitException($"{path} names a folder, not a file; name a file path instead", ExitCodes.Usage);
        }

        return full;
    }

    private static UnixFileMode? ExistingMode(string target)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            return File.Exists(target) ? File.GetUnixFileMode(target) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
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
