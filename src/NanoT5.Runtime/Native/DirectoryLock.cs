// An exclusive flock(2) on an open descriptor of a folder itself. Unlike a lock on a file inside the folder, no
// unlink or rename of a file can defeat it (deleting .nanot5.lock once let a second process in); the kernel drops
// it when the descriptor's last copy closes, so a killed process leaves no stale lock. The descriptor is opened
// close-on-exec: a child process (a plot helper, a tracker) never inherits the lock.
using System.Runtime.InteropServices;

namespace NanoT5.Native;

/// <summary>A held flock on a folder; dispose to release it.</summary>
public sealed partial class DirectoryLock : IDisposable
{
    private const int ReadOnly = 0;
    private const int CloseOnExec = 0x80000;
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int WouldBlock = 11;
    private const int Interrupted = 4;

    private int descriptor;

    private DirectoryLock(int descriptor) => this.descriptor = descriptor;

    /// <summary>True where this lock exists (Linux); elsewhere callers fall back to a lock file.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>Locks <paramref name="directory"/>; null when another open descriptor holds it. Throws <see cref="IOException"/> when it cannot be opened.</summary>
    public static DirectoryLock? TryAcquire(string directory)
    {
        int fd = Open(directory, ReadOnly | CloseOnExec);
        if (fd < 0)
        {
            int error = Marshal.GetLastPInvokeError();
            throw new IOException($"{directory}: cannot open the folder to lock it ({Marshal.GetPInvokeErrorMessage(error)}).");
        }

        while (true)
        {
            if (Flock(fd, LockExclusive | LockNonBlocking) == 0)
            {
                return new DirectoryLock(fd);
            }

            int error = Marshal.GetLastPInvokeError();
            if (error == Interrupted)
            {
                continue;
            }

            Close(fd);
            return error == WouldBlock ? null
                : throw new IOException($"{directory}: cannot lock the folder ({Marshal.GetPInvokeErrorMessage(error)}).");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref descriptor, -1);
        if (fd >= 0)
        {
            Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
