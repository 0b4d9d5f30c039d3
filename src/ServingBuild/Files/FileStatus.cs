using System.Runtime.InteropServices;

namespace ServingBuild.Files;

/// <summary>
/// What kind of thing a path is, without following a final link. .NET reports devices, FIFOs and sockets as
/// ordinary files, so this asks the kernel through statx(2), whose layout is the same on every architecture.
/// </summary>
internal readonly partial struct FileStatus
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;

    public FileStatus(string path)
    {
        var buffer = new byte[256];
        Exists = statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) == 0;
        Mode = Exists ? BitConverter.ToUInt16(buffer, 28) : (ushort)0;
        Attributes = Exists ? BitConverter.ToUInt64(buffer, 8) : 0;
        AttributesMask = Exists ? BitConverter.ToUInt64(buffer, 56) : 0;
        Device = Exists ? ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140) : 0;
    }

    /// <summary>The file system the path is on (stx_dev_major and stx_dev_minor).</summary>
    public ulong Device { get; }

    private ulong Attributes { get; }

    private ulong AttributesMask { get; }

    /// <summary>
    /// True when the path is the root of a mount (a folder that cannot be renamed or replaced): the kernel's
    /// STATX_ATTR_MOUNT_ROOT where it reports it, else a different device than the parent's.
    /// </summary>
    public bool IsMountRoot(string path)
    {
        const ulong MountRoot = 0x2000;
        if ((AttributesMask & MountRoot) != 0)
        {
            return (Attributes & MountRoot) != 0;
        }

        var parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(path));
        return parent is null || new FileStatus(parent).Device != Device;
    }

    public bool Exists { get; }

    public ushort Mode { get; }

    /// <summary>Null for a regular file or a missing path; otherwise the kind, in words.</summary>
    public string? Kind => !Exists ? null : (Mode & 0xF000) switch
    {
        0x8000 => null,
        0x4000 => "a folder",
        0xA000 => "a symbolic link",
        0x2000 => "a character device",
        0x6000 => "a block device",
        0x1000 => "a FIFO",
        0xC000 => "a socket",
        _ => "not a regular file",
    };

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, byte[] buffer);
}
