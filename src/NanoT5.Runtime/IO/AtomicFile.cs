// Writes a file so that readers see either the old content or the whole new content, never a part. The rename
// replaces the name, so a hard or symbolic link planted at the target is replaced, never written through.
namespace NanoT5.IO;

/// <summary>Temporary file in the same folder, flushed to disk, then renamed over the target.</summary>
public static partial class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>; on failure the old file is untouched.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath)!;
        RunFolderRecord.BeforeWrite(fullPath);
        Directory.CreateDirectory(directory);
        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            // Again just before the rename: a folder of the path replaced by a link while the file was written.
            RunFolderRecord.BeforeWrite(fullPath);
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch (ArgumentOutOfRangeException e) when (e.ParamName == "value")
        {
            // .NET reports EFBIG (a file-size limit, a file system's maximum) this way; it is an I/O failure.
            TryDelete(temporary);
            throw new IOException($"{fullPath}: {e.Message}", e);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>True for a name this class gives its temporary files (".target.PID.GUID.tmp").</summary>
    public static bool IsTemporaryName(string fileName) => TemporaryName().IsMatch(fileName);

    /// <summary>Writes text atomically (UTF-8, no BOM).</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            writer.Write(text);
        });

    [System.Text.RegularExpressions.GeneratedRegex(@"^\..+\.[0-9]+\.[0-9a-f]{32}\.tmp$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex TemporaryName();

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary file is harmless and never mistaken for the target.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
