// One process per run folder. The lock is a POSIX record lock (fcntl) on RunDirectory/.nanot5.lock: the kernel
// drops it when the process ends in any way (kill -9 included), so a stale lock cannot exist, and the file only
// says who holds it (its PID) for the message a second launch prints. A POSIX lock belongs to the process and
// is dropped when any descriptor of the file in it closes: nothing else in the runtime may open this file.
using System.Globalization;

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
    /// <summary>The lock file inside the run folder.</summary>
    public const string FileName = ".nanot5.lock";

    private readonly FileStream stream;

    private RunFolderLock(FileStream stream) => this.stream = stream;

    /// <summary>Takes the lock of <paramref name="runDirectory"/> (creating the folder) or throws <see cref="RunFolderInUseException"/> at once, naming the holder's PID.</summary>
    public static RunFolderLock Acquire(string runDirectory)
    {
        string folder = Path.GetFullPath(runDirectory);
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, FileName);
        RunFolderSafety.RefuseLink(path, folder);
        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 64);
        try
        {
            // .NET offers no record locks on macOS (not a platform this runtime ships for): there the folder is not locked.
            if (!OperatingSystem.IsMacOS())
            {
                stream.Lock(0, 1);
            }
        }
        catch (IOException e)
        {
            string holder = ReadHolder(stream);
            stream.Dispose();
            throw new RunFolderInUseException(
                $"{folder} is in use by another NanoT5 process ({holder}); two processes in one run folder would overwrite each other's checkpoints and metrics. " +
                "Wait for it to end or stop it, or choose another run_directory.", e);
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        stream.SetLength(0);
        byte[] pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        stream.Write(pid);
        stream.Flush();
        return new RunFolderLock(stream);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // Closing the file drops the record lock; the file stays (deleting it would race a waiting second launch).
        stream.Dispose();
    }

    // The holder writes its PID just after locking; a launch that lost the race by microseconds retries briefly.
    private static string ReadHolder(FileStream stream)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            stream.Position = 0;
            using var reader = new StreamReader(stream, System.Text.Encoding.ASCII, false, 64, leaveOpen: true);
            string text = reader.ReadToEnd().Trim();
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                return $"PID {pid}";
            }

            Thread.Sleep(25);
        }

        return "PID unknown";
    }
}
