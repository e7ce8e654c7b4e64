// What kind of file a path names, and how many names it has. .NET reports a FIFO, socket or device as an ordinary
// file (FileInfo.Exists, Attributes Normal), and opening a FIFO blocks until a writer appears; it does not expose
// the link count either (a hard link planted in a run folder makes a write in place land in a file outside).
// statx(2) tells both without opening anything. Its struct layout is the same on every Linux architecture
// (stx_nlink: a u32 at byte 16, stx_mode: a u16 at byte 28).
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace NanoT5.Native;

/// <summary>File type and link count checks that never open the file.</summary>
public static partial class FileKind
{
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1;
    private const uint StatxLinkCount = 0x4;
    private const int TypeMask = 0xF000;
    private const int RegularFile = 0x8000;
    private const int LinkCountOffset = 16;
    private const int ModeOffset = 28;
    private const int StatxSize = 256;

    /// <summary>True for a regular file (following links); also true where statx is not available (not Linux).</summary>
    public static bool IsRegularFile(string path) =>
        Statx(AtCurrentDirectory, Path.GetFullPath(path), 0, StatxType) is not byte[] buffer || (BitConverter.ToUInt16(buffer, ModeOffset) & TypeMask) == RegularFile;

    /// <summary>The link count of <paramref name="path"/> itself (a symbolic link is not followed); 1 when it is absent or statx is unavailable.</summary>
    public static long LinkCount(string path) => LinkCountIn(Statx(AtCurrentDirectory, Path.GetFullPath(path), AtSymlinkNoFollow, StatxLinkCount));

    /// <summary>The link count of the open file <paramref name="handle"/>; 1 where statx is unavailable.</summary>
    public static long LinkCount(SafeFileHandle handle)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return LinkCountIn(Statx((int)handle.DangerousGetHandle(), string.Empty, AtEmptyPath, StatxLinkCount));
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static long LinkCountIn(byte[]? buffer) => buffer is null ? 1 : BitConverter.ToUInt32(buffer, LinkCountOffset);

    // The statx buffer, or null where there is none: not Linux, a libc without statx (glibc < 2.28), or a path that is
    // gone or unreadable (the caller's open reports that with the path).
    private static byte[]? Statx(int directory, string path, int flags, uint mask)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        byte[] buffer = new byte[StatxSize];
        try
        {
            return StatxCall(directory, path, flags, mask, buffer) == 0 ? buffer : null;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// Throws <see cref="InvalidDataException"/> naming <paramref name="path"/> when it exists and is not a regular file:
    /// reading a FIFO blocks until a writer comes (forever), a device never ends. Call it before opening a file to read.
    /// </summary>
    public static string ThrowIfNotRegularFile(string path, string what)
    {
        if (!IsRegularFile(path))
        {
            throw new InvalidDataException($"{path}: the {what} is not a regular file (a FIFO, socket or device); name a regular file.");
        }

        return path;
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatxCall(int directory, string path, int flags, uint mask, [Out] byte[] buffer);
}
