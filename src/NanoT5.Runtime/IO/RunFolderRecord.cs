// What makes a run folder ours, and what the run wrote in it. A marker (.nanot5-run.json, written when a process
// first claims the folder) names the run; a folder with files and no marker is someone else's and is refused, so
// NanoT5 never overwrites or deletes a user's files. Every file a claimed run writes is first named in the record
// (.nanot5-written, one relative path a line, appended before the file exists): starting over deletes exactly
// those, never whole folders. The same hook stops writes that would leave the folder through a link planted
// after the claim: each write checks, just before it happens, that no folder on its way is a symbolic link and
// that a file written in place has no other name (a hard link to a file outside).
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Win32.SafeHandles;
using NanoT5.Native;

namespace NanoT5.IO;

/// <summary>Thrown when a write would leave its run folder through a link.</summary>
public sealed class RunFolderEscapeException : IOException
{
    public RunFolderEscapeException()
    {
    }

    public RunFolderEscapeException(string message)
        : base(message)
    {
    }

    public RunFolderEscapeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The ownership marker and the record of written files of run folders this process has claimed.</summary>
public static class RunFolderRecord
{
    /// <summary>The marker that makes a folder a NanoT5 run folder.</summary>
    public const string MarkerFile = RunFolderLayout.MarkerFile;

    /// <summary>Relative paths of every file the run wrote, one a line.</summary>
    public const string RecordFile = RunFolderLayout.RecordFile;

    private static readonly ConcurrentDictionary<string, Owned> OwnedFolders = new(StringComparer.Ordinal);

    /// <summary>True when <paramref name="runDirectory"/> carries the marker of a NanoT5 run.</summary>
    public static bool IsMarked(string runDirectory) => File.Exists(Path.Combine(runDirectory, MarkerFile));

    /// <summary>Writes the marker naming <paramref name="runName"/> (kept when it exists).</summary>
    public static void Mark(string runDirectory, string runName)
    {
        if (IsMarked(runDirectory))
        {
            return;
        }

        var marker = new JsonObject
        {
            ["run"] = runName,
            ["claimed_at"] = TimeProvider.System.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["note"] = "Written by NanoT5: this folder is a run folder. Starting the run over deletes only the files listed in " + RecordFile + ".",
        };
        AtomicFile.WriteAllText(Path.Combine(runDirectory, MarkerFile), marker.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>From now until disposal, writes under <paramref name="runDirectory"/> are checked and recorded.</summary>
    public static IDisposable Own(string runDirectory)
    {
        string root = Path.GetFullPath(runDirectory);
        var owned = new Owned(root);
        if (!OwnedFolders.TryAdd(root, owned))
        {
            throw new InvalidOperationException($"{root} is already claimed by this process.");
        }

        return owned;
    }

    /// <summary>
    /// Called just before <paramref name="path"/> is created or replaced: throws <see cref="RunFolderEscapeException"/>
    /// when a folder between the run folder and the file is a symbolic link, and records the file as the run's.
    /// Paths outside every claimed run folder pass unchecked.
    /// </summary>
    public static void BeforeWrite(string path)
    {
        string full = Path.GetFullPath(path);
        if (OwnerOf(full) is not Owned owned)
        {
            return;
        }

        string relative = Path.GetRelativePath(owned.Root, full);
        RefuseLinkedFolders(owned.Root, relative);
        owned.Note(relative);
    }

    /// <summary>Throws when <paramref name="path"/>, open as <paramref name="handle"/> to be written in place, is a symbolic link or has another name (a hard link).</summary>
    public static void RefuseOtherNames(string path, SafeFileHandle handle)
    {
        string full = Path.GetFullPath(path);
        if (new FileInfo(full).LinkTarget is string target)
        {
            throw new RunFolderEscapeException($"{full} is a symbolic link (to {target}): NanoT5 does not write through links. Remove the link, then run again.");
        }

        if (FileKind.LinkCount(handle) is > 1 and long names)
        {
            throw new RunFolderEscapeException(
                $"{full} has {names} names (a hard link to it exists): writing it in place would change that other file too. " +
                "Remove the link (or this file), then run again.");
        }
    }

    /// <summary>Records <paramref name="path"/> as written by the run (for files moved into place under a new name).</summary>
    public static void Record(string path)
    {
        string full = Path.GetFullPath(path);
        if (OwnerOf(full) is Owned owned)
        {
            owned.Note(Path.GetRelativePath(owned.Root, full));
        }
    }

    /// <summary>Relative paths the record of <paramref name="runDirectory"/> lists, in the order first written.</summary>
    public static IReadOnlyList<string> Recorded(string runDirectory)
    {
        string file = Path.Combine(runDirectory, RecordFile);
        return File.Exists(file) && FileKind.IsRegularFile(file)
            ? [.. File.ReadAllLines(file).Where(IsRecordable).Distinct(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>
    /// Starting over: deletes the files the record lists (a link itself, never what it points at), then the folders
    /// that held them once empty, and empties the record. Anything else in the folder stays. Returns the deleted paths.
    /// </summary>
    public static IReadOnlyList<string> DeleteRecorded(string runDirectory)
    {
        string root = Path.GetFullPath(runDirectory);
        var deleted = new List<string>();
        foreach (string relative in Recorded(root))
        {
            string path = Path.Combine(root, relative);
            if (LinkedFolderOnTheWay(root, relative) is not null || Directory.Exists(path) && new FileInfo(path).LinkTarget is null)
            {
                continue; // a folder planted on the way leads outside; a folder is never the run's to delete whole
            }

            if (File.Exists(path) || new FileInfo(path).LinkTarget is not null)
            {
                File.Delete(path);
                deleted.Add(relative);
            }
        }

        foreach (string folder in deleted.Select(r => Path.GetDirectoryName(r)!).Where(d => d.Length > 0).Distinct().OrderByDescending(d => d.Length))
        {
            for (string? current = folder; !string.IsNullOrEmpty(current); current = Path.GetDirectoryName(current))
            {
                string path = Path.Combine(root, current);
                if (!Directory.Exists(path) || Directory.EnumerateFileSystemEntries(path).Any())
                {
                    break;
                }

                Directory.Delete(path);
            }
        }

        AtomicFile.WriteAllText(Path.Combine(root, RecordFile), string.Empty);
        if (OwnerOf(Path.Combine(root, RecordFile)) is Owned owned)
        {
            owned.Forget();
        }

        return deleted;
    }

    // Temporary names (a dot-segment: .name.PID.id.tmp, .step-N.id.tmp) are not recorded: they are renamed to a
    // recorded name or removed by the claim.
    private static bool IsRecordable(string relative) =>
        relative.Length > 0 && !Path.IsPathRooted(relative) && relative.Split('/').All(s => s.Length > 0 && s[0] != '.');

    private static Owned? OwnerOf(string full)
    {
        foreach (Owned owned in OwnedFolders.Values)
        {
            if (full.StartsWith(owned.Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                return owned;
            }
        }

        return null;
    }

    private static void RefuseLinkedFolders(string root, string relative)
    {
        if (LinkedFolderOnTheWay(root, relative) is (string folder, string target))
        {
            throw new RunFolderEscapeException(
                $"{folder} is a symbolic link (to {target}) planted in the run folder after it was claimed: NanoT5 does not write through links " +
                $"inside a run folder, it would write {Path.Combine(root, relative)} outside {root}. Remove the link, then run again to resume.");
        }
    }

    private static (string Folder, string Target)? LinkedFolderOnTheWay(string root, string relative)
    {
        string current = root;
        string[] segments = relative.Split(Path.DirectorySeparatorChar);
        foreach (string segment in segments[..^1])
        {
            current = Path.Combine(current, segment);
            if (new FileInfo(current).LinkTarget is string target)
            {
                return (current, target);
            }
        }

        return null;
    }

    private sealed class Owned : IDisposable
    {
        private readonly HashSet<string> recorded;
        private readonly Lock gate = new();

        public Owned(string root)
        {
            Root = root;
            recorded = [.. Recorded(root)];
        }

        public string Root { get; }

        public void Note(string relative)
        {
            if (!IsRecordable(relative))
            {
                return;
            }

            lock (gate)
            {
                if (!recorded.Add(relative))
                {
                    return;
                }

                // Appended before the file exists, so a kill between the two leaves a name to delete, never a file unnamed.
                string file = Path.Combine(Root, RecordFile);
                using SafeFileHandle handle = File.OpenHandle(file, FileMode.Append, FileAccess.Write, FileShare.Read);
                RefuseOtherNames(file, handle);

                byte[] line = Encoding.UTF8.GetBytes(relative + "\n");
                RandomAccess.Write(handle, line, RandomAccess.GetLength(handle));
            }
        }

        public void Forget()
        {
            lock (gate)
            {
                recorded.Clear();
            }
        }

        public void Dispose() => OwnedFolders.TryRemove(Root, out _);
    }
}
