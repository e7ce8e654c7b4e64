// What kind of file a path names. .NET reports a FIFO, socket or device as an ordinary file (FileInfo.Exists,
// Attributes Normal), and opening a FIFO blocks until a writer appears; statx(2) tells them apart without
// opening anything. Its struct layout is the same on every Linux architecture (stx_mode: a u16 at byte 28).
using System.Runtime.InteropServices;

namespace NanoT5.Native;

/// <summary>File type checks that never open the file.</summary>
public static partial class FileKind
{
    private const int AtCurrentDirectory = -100;
    private const uint StatxType = 0x1;
    private const int TypeMask = 0xF000;
    private const int RegularFile = 0x8000;
    private const int ModeOffset = 28;
    private const int StatxSize = 256;

    /// <summary>True for a regular file (following links); also true where statx is not available (not Linux).</summary>
    public static bool IsRegularFile(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return true;
        }

        byte[] buffer = new byte[StatxSize];
        try
        {
            if (Statx(AtCurrentDirectory, Path.GetFullPath(path), 0, StatxType, buffer) != 0)
            {
                return true; // gone or unreadable: the caller's open reports that with the path
            }
        }
        catch (EntryPointNotFoundException)
        {
            return true; // a libc without statx (glibc < 2.28)
        }

        int mode = BitConverter.ToUInt16(buffer, ModeOffset);
        return (mode & TypeMask) == RegularFile;
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
    private static partial int Statx(int directory, string path, int flags, uint mask, [Out] byte[] buffer);
}
