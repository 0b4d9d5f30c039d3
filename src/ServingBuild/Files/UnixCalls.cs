using System.Runtime.InteropServices;

namespace ServingBuild.Files;

/// <summary>
/// The few libc calls .NET has no API for: open a folder (to flock or fsync it), flock, fsync, and
/// renameat2's atomic exchange of two folders.
/// </summary>
internal static partial class UnixCalls
{
    public const int ORdOnly = 0;
    public const int ODirectory = 0x10000;
    public const int OCloexec = 0x80000;
    public const int LockEx = 2;
    public const int LockNb = 4;
    public const int AtFdCwd = -100;
    public const uint RenameExchange = 2;

    public const int EIntr = 4;
    public const int EWouldBlock = 11;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "renameat2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int RenameAt2(int olddirfd, string oldpath, int newdirfd, string newpath, uint flags);

    [LibraryImport("libc", EntryPoint = "strerror")]
    private static partial IntPtr StrError(int errnum);

    public static string Describe(int errno) => Marshal.PtrToStringUTF8(StrError(errno)) ?? $"errno {errno}";

    /// <summary>fsync of a folder, so a rename inside it survives a power cut. Best effort: some file systems refuse.</summary>
    public static void SyncFolder(string dir)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var fd = Open(dir, ORdOnly | ODirectory | OCloexec);
        if (fd >= 0)
        {
            Fsync(fd);
            Close(fd);
        }
    }
}
