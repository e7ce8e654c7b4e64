// What a process does to a run folder before reading or writing anything in it: take the folder's lock, refuse
// planted links, remove what an interrupted process left half-done (temporary files, partial downloads), and put
// back a complete checkpoint a kill caught between its two renames.
using NanoT5.Checkpoints;

namespace NanoT5.Runs;

/// <summary>Exclusive use of a run folder for the life of a run; dispose to release it.</summary>
public sealed class RunFolderClaim : IDisposable
{
    private readonly RunFolderLock folderLock;

    private RunFolderClaim(RunFolderLock folderLock) => this.folderLock = folderLock;

    /// <summary>Claims <paramref name="runDirectory"/> or throws (<see cref="RunFolderInUseException"/>, or <see cref="InvalidDataException"/> for a link); notes go to <paramref name="log"/>.</summary>
    public static RunFolderClaim Claim(string runDirectory, TextWriter log)
    {
        string folder = Path.GetFullPath(runDirectory);
        RunFolderLock taken = RunFolderLock.Acquire(folder);
        try
        {
            RunFolderSafety.RefuseLinks(folder);
            int removed = RunFolderSafety.RemoveTemporaryFiles(folder);
            if (removed > 0)
            {
                log.WriteLine($"note: removed {removed} temporary file(s) an interrupted run left in {folder}");
            }

            new TrainingCheckpointStore(folder, keepLast: int.MaxValue).RecoverInterrupted(message => log.WriteLine($"note: {message}"));
            return new RunFolderClaim(taken);
        }
        catch
        {
            taken.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose() => folderLock.Dispose();
}
