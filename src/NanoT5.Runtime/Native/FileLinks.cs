// How many names a file has. A hard link planted in a run folder (`ln outside/x run/metrics.jsonl`) makes a write
// in place land in the outside file too; .NET does not expose the link count, statx(2) does (stx_nlink: a u32 at
// byte 16 on every Linux architecture).
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace NanoT5.Native;

/// <summary>Link counts of files, read without following symbolic links.</summary>
public static partial class FileLinks
{
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxLinkCount = 0x4;
    private const int LinkCountOffset = 16;
    private const int StatxSize = 256;

    /// <summary>The link count of <paramref name="path"/> itself (a symbolic link is not followed); 1 when it is absent or statx is unavailable.</summary>
    public static long Count(string path) => Statx(AtCurrentDirectory, Path.GetFullPath(path), AtSymlinkNoFollow);

    /// <summary>The link count of the open file <paramref name="handle"/>; 1 where statx is unavailable.</summary>
    public static long Count(SafeFileHandle handle)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Statx((int)handle.DangerousGetHandle(), string.Empty, AtEmptyPath);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static long Statx(int directory, string path, int flags)
    {
        if (!OperatingSystem.IsLinux())
        {
            return 1;
        }

        byte[] buffer = new byte[StatxSize];
        try
        {
            if (StatxCall(directory, path, flags, StatxLinkCount, buffer) != 0)
            {
                return 1; // gone or unreadable: the caller's open reports that with the path
            }
        }
        catch (EntryPointNotFoundException)
        {
            return 1; // a libc without statx (glibc < 2.28)
        }

        return BitConverter.ToUInt32(buffer, LinkCountOffset);
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatxCall(int directory, string path, int flags, uint mask, [Out] byte[] buffer);
}
