// What a process does to a run folder before reading or writing anything in it: take the folder's lock, refuse a
// folder that is not a NanoT5 run (files and no marker) and planted links, mark it as this run's, remove what an
// interrupted process left half-done (temporary files, partial downloads), put back a complete checkpoint a kill
// caught between its two renames, and, when the run starts over, delete what the earlier run wrote. All of it
// happens in one process (rank 0 of a data-parallel job) before any other rank looks at the folder.
using NanoT5.Checkpoints;
using NanoT5.IO;

namespace NanoT5.Runs;

/// <summary>Exclusive use of a run folder for the life of a run; dispose to release it.</summary>
public sealed class RunFolderClaim : IDisposable
{
    private readonly RunFolderLock folderLock;
    private readonly IDisposable owned;

    private RunFolderClaim(RunFolderLock folderLock, IDisposable owned)
    {
        this.folderLock = folderLock;
        this.owned = owned;
    }

    /// <summary>Claims <paramref name="runDirectory"/> for a run named after the folder; see <see cref="Claim(string, string, bool, TextWriter)"/>.</summary>
    public static RunFolderClaim Claim(string runDirectory, TextWriter log) =>
        Claim(runDirectory, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory))), startOver: false, log);

    /// <summary>
    /// Claims <paramref name="runDirectory"/> for run <paramref name="runName"/> or throws (<see cref="RunFolderInUseException"/>,
    /// or <see cref="InvalidDataException"/> for a folder that is not a run's or holds a link); with <paramref name="startOver"/>
    /// the files an earlier run wrote are deleted first. Notes go to <paramref name="log"/>.
    /// </summary>
    public static RunFolderClaim Claim(string runDirectory, string runName, bool startOver, TextWriter log)
    {
        string folder = Path.GetFullPath(runDirectory);
        RunFolderLock taken = RunFolderLock.Acquire(folder);
        IDisposable? owned = null;
        try
        {
            RunFolderSafety.RefuseLinks(folder);
            if (RunFolderSafety.RefuseForeignFolder(folder))
            {
                log.WriteLine(
                    $"note: {folder} is a run folder of an earlier NanoT5 (no {RunFolderRecord.MarkerFile}); marked as run '{runName}'. " +
                    "Files it wrote before now are not in its record: starting it over will not delete them.");
            }

            RunFolderRecord.Mark(folder, runName);
            owned = RunFolderRecord.Own(folder);
            int removed = RunFolderSafety.RemoveTemporaryFiles(folder);
            if (removed > 0)
            {
                log.WriteLine($"note: removed {removed} temporary file(s) an interrupted run left in {folder}");
            }

            var store = new TrainingCheckpointStore(folder, keepLast: int.MaxValue);
            store.RecoverInterrupted(message => log.WriteLine($"note: {message}"));
            if (startOver)
            {
                StartOver(runDirectory, store, log);
            }

            return new RunFolderClaim(taken, owned);
        }
        catch
        {
            owned?.Dispose();
            taken.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        owned.Dispose();
        folderLock.Dispose();
    }

    // checkpoint.resume false: only what the run's record says it wrote goes; the user's own files in the folder stay.
    private static void StartOver(string runDirectory, TrainingCheckpointStore store, TextWriter log)
    {
        StoredCheckpoint? latest = store.FindLatest(message => log.WriteLine($"warning: {message}"));
        IReadOnlyList<string> deleted = RunFolderRecord.DeleteRecorded(runDirectory);
        if (deleted.Count == 0)
        {
            return;
        }

        string[] entries = [.. deleted.Select(d => d.Split(Path.DirectorySeparatorChar)[0]).Distinct(StringComparer.Ordinal)];
        string reached = latest is null ? string.Empty : $" (it had reached step {latest.Step})";
        log.WriteLine(
            $"checkpoint.resume is false: starting {runDirectory} over; deleted the {deleted.Count} file(s) the earlier run wrote, in {string.Join(", ", entries)}{reached}. " +
            "Files NanoT5 did not write stay.");
    }
}
