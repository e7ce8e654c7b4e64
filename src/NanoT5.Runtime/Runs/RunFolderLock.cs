// One process per run folder. The lock is a flock on an open descriptor of the run folder itself (DirectoryLock):
// the kernel drops it when the process ends in any way (kill -9 included), so a stale lock cannot exist, and no
// unlink or rename inside the folder can defeat it. RunDirectory/.nanot5.lock only says who holds it (its PID)
// for the message a second launch prints; it is replaced atomically, so a hard link planted there is not written.
using System.Globalization;
using NanoT5.IO;
using NanoT5.Native;

namespace NanoT5.Runs;

/// <summary>Thrown when another live process holds the run folder.</summary>
public sealed class RunFolderInUseException : IOException
{
    public RunFolderInUseException()
    {
    }

    public RunFolderInUseException(string message)
        : base(message)
    {
    }

    public RunFolderInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>An exclusive lock on a run folder, held until disposed or until the process ends.</summary>
public sealed class RunFolderLock : IDisposable
{
    /// <summary>The file inside the run folder that names the holder (its PID); it is not the lock.</summary>
    public const string FileName = RunFolderLayout.LockFile;

    private readonly IDisposable? held;

    private RunFolderLock(IDisposable? held) => this.held = held;

    /// <summary>Takes the lock of <paramref name="runDirectory"/> (creating the folder) or throws <see cref="RunFolderInUseException"/> at once, naming the holder's PID.</summary>
    public static RunFolderLock Acquire(string runDirectory)
    {
        string folder = Path.GetFullPath(runDirectory);
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, FileName);
        RunFolderSafety.RefuseLink(path, folder);
        // The runtime ships for Linux only; elsewhere (a developer's macOS) the folder is not locked.
        IDisposable? held = DirectoryLock.IsSupported ? DirectoryLock.TryAcquire(folder) ?? throw InUse(folder, ReadHolder(path)) : null;
        try
        {
            // Replaced, never written in place: a hard link planted at this name keeps its content.
            AtomicFile.WriteAllText(path, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        }
        catch
        {
            held?.Dispose();
            throw;
        }

        return new RunFolderLock(held);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The PID file stays: deleting it would race a waiting second launch, and it is not the lock.
        held?.Dispose();
    }

    private static RunFolderInUseException InUse(string folder, string holder) =>
        new($"{folder} is in use by another NanoT5 process ({holder}); two processes in one run folder would overwrite each other's checkpoints and metrics. " +
            "Wait for it to end or stop it, or choose another run_directory.");

    // The holder writes its PID just after locking; a launch that lost the race by microseconds retries briefly.
    private static string ReadHolder(string path)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                // A FIFO planted at the name would block a read forever.
                if (FileKind.IsRegularFile(path) && File.Exists(path) &&
                    int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
                {
                    return $"PID {pid}";
                }
            }
            catch (IOException)
            {
            }

            Thread.Sleep(25);
        }

        return "PID unknown";
    }
}
