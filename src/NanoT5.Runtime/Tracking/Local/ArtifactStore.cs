// artifacts/ in the run folder: text and files a loop keeps with the run (predictions, a model card).
using NanoT5.IO;

namespace NanoT5.Tracking.Local;

/// <summary>Writes artifacts under a folder, refusing names that would escape it.</summary>
public sealed class ArtifactStore(string directory)
{
    public string Directory { get; } = directory;

    /// <summary>Writes <paramref name="text"/> atomically as artifact <paramref name="name"/>; returns its path.</summary>
    public string WriteText(string name, string text)
    {
        string path = PathOf(name);
        AtomicFile.WriteAllText(path, text);
        return path;
    }

    /// <summary>Copies <paramref name="sourcePath"/> in atomically as artifact <paramref name="name"/> (default: its file name).</summary>
    public string CopyFile(string sourcePath, string? name = null)
    {
        if (!File.Exists(sourcePath))
        {
            throw new FileNotFoundException($"{sourcePath}: no such file to keep as an artifact.", sourcePath);
        }

        string path = PathOf(name ?? Path.GetFileName(sourcePath));
        AtomicFile.Write(path, target =>
        {
            using FileStream source = File.OpenRead(sourcePath);
            source.CopyTo(target);
        });
        return path;
    }

    // A relative path with '/' separators and no '..' segment, so every artifact stays inside the folder.
    private string PathOf(string name)
    {
        string[] segments = name.Split('/', '\\');
        if (string.IsNullOrWhiteSpace(name) || Path.IsPathRooted(name) || segments.Any(s => s is "" or "." or ".."))
        {
            throw new ArgumentException($"Artifact name '{name}' must be a relative path such as 'predictions/test.jsonl', without '.' or '..' segments.", nameof(name));
        }

        return Path.Combine([Directory, .. segments]);
    }
}
