// The run folder's own entries are never written through symbolic links: a planted metrics.jsonl, model/ or
// plots/ link would make a run overwrite files outside its folder. The run folder path itself may be a link
// (runs/ on another disk); what NanoT5 creates inside it may not.
using NanoT5.Config;
using NanoT5.IO;
using NanoT5.Native;
using NanoT5.Tracking.Local;

namespace NanoT5.Runs;

/// <summary>Link checks and leftover clean-up for a run folder.</summary>
public static class RunFolderSafety
{
    private const int ShownForeignFiles = 5;

    // A folder a user pointed run_directory at by mistake may be their home: look at this many entries, no more.
    private const int ListedForeignEntries = 1000;

    /// <summary>Folders whose temporary files (".name.*.tmp", left by a kill during an atomic write) are removed on start.</summary>
    private static readonly string[] TemporaryFileFolders = [string.Empty, RunFolderLayout.ModelDirectory, RunFolderLayout.PlotsDirectory, RunFolderLayout.TrackingDirectory, RunFolderLayout.ArtifactsDirectory, RunFolderLayout.CheckpointsDirectory];

    /// <summary>Entries NanoT5 creates in a run folder (files and folders).</summary>
    public static IReadOnlyList<string> ManagedEntries(string runDirectory)
    {
        var tracking = new RunFolder(runDirectory);
        return
        [
            tracking.ConfigFile, tracking.MetricsFile, tracking.SummaryFile, tracking.ParamsFile, tracking.PlotsDirectory, tracking.ArtifactsDirectory,
            Path.GetDirectoryName(tracking.OutboxStateFile)!, Path.Combine(runDirectory, RunFolderLayout.CheckpointsDirectory), Path.Combine(runDirectory, RunFolderLayout.ModelDirectory),
            Path.Combine(runDirectory, RunFolderLayout.PredictionsFile), Path.Combine(runDirectory, RunFolderLayout.DownloadsDirectory),
            Path.Combine(runDirectory, RunFolderLayout.EvaluationsDirectory), Path.Combine(runDirectory, RunFolderLayout.PredictionsDirectory),
        ];
    }

    /// <summary>Throws <see cref="InvalidDataException"/> naming the first managed entry (or anything inside a managed folder) that is a symbolic link, or a file written in place that has a second name.</summary>
    public static void RefuseLinks(string runDirectory)
    {
        RefuseHardLink(new RunFolder(runDirectory).MetricsFile, runDirectory);
        RefuseHardLink(Path.Combine(runDirectory, RunFolderRecord.RecordFile), runDirectory);
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

    /// <summary>
    /// Throws when <paramref name="path"/>, a file the run writes in place (appends to), has a second name. Every other
    /// file is replaced by a rename, which leaves a hard-linked copy (a `cp -al` backup of checkpoints) as it was.
    /// </summary>
    public static void RefuseHardLink(string path, string runDirectory)
    {
        if (File.Exists(path) && FileKind.LinkCount(path) is > 1 and long names)
        {
            throw new InvalidDataException(
                $"{path} has {names} names (a hard link to it exists elsewhere): NanoT5 does not write files that are also outside " +
                $"{runDirectory}. Remove the link (or this file), or choose another run_directory.");
        }
    }

    /// <summary>
    /// Throws when <paramref name="runDirectory"/> holds anything but a NanoT5 run: files and no run marker. Those are
    /// a user's, and a run would overwrite them (params.json, summary.json) or, starting over, delete them. Returns
    /// true for a run folder of an earlier NanoT5 (config.resolved.json and checkpoints/latest, no marker), which the
    /// caller adopts.
    /// </summary>
    public static bool RefuseForeignFolder(string runDirectory)
    {
        if (RunFolderRecord.IsMarked(runDirectory))
        {
            return false;
        }

        if (IsEarlierNanoT5Run(runDirectory))
        {
            return true;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        var listed = new DirectoryInfo(runDirectory).EnumerateFileSystemInfos("*", options)
            .Where(e => e.FullName != Path.Combine(runDirectory, RunFolderLock.FileName))
            .Take(ListedForeignEntries)
            .Select(e => (Path: Path.GetRelativePath(runDirectory, e.FullName), IsFile: e is not DirectoryInfo || e.LinkTarget is not null))
            .ToList();
        if (listed.Count == 0)
        {
            return false;
        }

        // The files say most; a folder of empty folders is named by its folders.
        string[] shown = [.. (listed.Any(e => e.IsFile) ? listed.Where(e => e.IsFile) : listed).Select(e => e.Path).Order(StringComparer.Ordinal)];
        string more = listed.Count == ListedForeignEntries ? " and many more"
            : shown.Length > ShownForeignFiles ? $" and {shown.Length - ShownForeignFiles} more" : string.Empty;
        throw new InvalidDataException(
            $"{runDirectory} is not empty and is not a NanoT5 run folder (no {RunFolderRecord.MarkerFile}): it holds {string.Join(", ", shown.Take(ShownForeignFiles))}{more}. " +
            "NanoT5 writes only into an empty folder or one of its own runs, so that it never overwrites or deletes your files. " +
            "Choose another run_directory (NanoT5RunDirectory), or move those files out.");
    }

    /// <summary>Removes temporary files an interrupted atomic write left behind (only names AtomicFile makes); returns how many.</summary>
    public static int RemoveTemporaryFiles(string runDirectory)
    {
        int removed = 0;
        foreach (string folder in TemporaryFileFolders.Select(f => Path.Combine(runDirectory, f)).Where(Directory.Exists))
        {
            foreach (string file in Directory.EnumerateFiles(folder, ".*.tmp").Where(f => AtomicFile.IsTemporaryName(Path.GetFileName(f))))
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

    // What every run of NanoT5 before the marker wrote: its resolved config and a pointer to its latest checkpoint.
    private static bool IsEarlierNanoT5Run(string runDirectory)
    {
        string config = new RunFolder(runDirectory).ConfigFile;
        if (!File.Exists(Path.Combine(runDirectory, RunFolderLayout.CheckpointsDirectory, RunFolderLayout.LatestCheckpointFile)) || !File.Exists(config) || !FileKind.IsRegularFile(config))
        {
            return false;
        }

        try
        {
            ExperimentConfigJson.Load(config);
            return true;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or System.Text.Json.JsonException)
        {
            return false;
        }
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
