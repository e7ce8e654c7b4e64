// The run folder's own entries are never written through symbolic links: a planted metrics.jsonl, model/ or
// plots/ link would make a run overwrite files outside its folder. The run folder path itself may be a link
// (runs/ on another disk); what NanoT5 creates inside it may not.
using NanoT5.IO;
using NanoT5.Tracking.Local;

namespace NanoT5.Runs;

/// <summary>Link checks and leftover clean-up for a run folder.</summary>
public static class RunFolderSafety
{
    /// <summary>Folders whose temporary files (".name.*.tmp", left by a kill during an atomic write) are removed on start.</summary>
    private static readonly string[] TemporaryFileFolders = [string.Empty, RunFolderLayout.ModelDirectory, "plots", "tracking", "artifacts", "checkpoints"];

    /// <summary>Entries NanoT5 creates in a run folder (files and folders).</summary>
    public static IReadOnlyList<string> ManagedEntries(string runDirectory)
    {
        var tracking = new RunFolder(runDirectory);
        return
        [
            tracking.ConfigFile, tracking.MetricsFile, tracking.SummaryFile, tracking.ParamsFile, tracking.PlotsDirectory, tracking.ArtifactsDirectory,
            Path.GetDirectoryName(tracking.OutboxStateFile)!, Path.Combine(runDirectory, "checkpoints"), Path.Combine(runDirectory, RunFolderLayout.ModelDirectory),
            Path.Combine(runDirectory, RunFolderLayout.PredictionsFile), Path.Combine(runDirectory, RunFolderLayout.DownloadsDirectory),
            Path.Combine(runDirectory, RunFolderLayout.EvaluationsDirectory), Path.Combine(runDirectory, RunFolderLayout.PredictionsDirectory),
        ];
    }

    /// <summary>Throws <see cref="InvalidDataException"/> naming the first managed entry (or anything inside a managed folder) that is a symbolic link.</summary>
    public static void RefuseLinks(string runDirectory)
    {
        foreach (string entry in ManagedEntries(runDirectory))
        {
            RefuseLink(entry, runDirectory);
            if (Directory.Exists(entry))
            {
                RefuseLinksInside(new DirectoryInfo(entry), runDirectory, depth: 3);
            }
        }
    }

    /// <summary>Throws when <paramref name="path"/> is a symbolic link (dangling or not).</summary>
    public static void RefuseLink(string path, string runDirectory)
    {
        if (new FileInfo(path).LinkTarget is string target)
        {
            throw new InvalidDataException(
                $"{path} is a symbolic link (to {target}): NanoT5 does not write through links inside a run folder, it could overwrite files outside " +
                $"{runDirectory}. Remove the link, or choose another run_directory.");
        }
    }

    /// <summary>Removes temporary files an interrupted atomic write left behind; returns how many.</summary>
    public static int RemoveTemporaryFiles(string runDirectory)
    {
        int removed = 0;
        foreach (string folder in TemporaryFileFolders.Select(f => Path.Combine(runDirectory, f)).Where(Directory.Exists))
        {
            foreach (string file in Directory.EnumerateFiles(folder, ".*.tmp"))
            {
                File.Delete(file);
                removed++;
            }
        }

        string downloads = Path.Combine(runDirectory, RunFolderLayout.DownloadsDirectory);
        if (Directory.Exists(downloads))
        {
            removed += Directory.GetFiles(downloads, "*", SearchOption.AllDirectories).Length;
            Directory.Delete(downloads, recursive: true);
        }

        return removed;
    }

    private static void RefuseLinksInside(DirectoryInfo directory, string runDirectory, int depth)
    {
        foreach (FileSystemInfo child in directory.EnumerateFileSystemInfos())
        {
            RefuseLink(child.FullName, runDirectory);
            if (depth > 1 && child is DirectoryInfo folder)
            {
                RefuseLinksInside(folder, runDirectory, depth - 1);
            }
        }
    }
}
