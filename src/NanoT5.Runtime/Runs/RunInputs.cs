// What a run reads besides its settings: the tokenizer file and the training data. A resume that silently read a
// tokenizer with swapped pieces, or a training file edited in place, would continue one experiment on another's
// inputs. Their fingerprints are kept beside config.resolved.json (inputs.json) and compared like settings: the
// tokenizer by a SHA-256 of its whole file; each data file by size, modification time and a SHA-256
// of its first and last MiB (reading terabytes at every start is not affordable; an edit that keeps the size,
// both ends and the time is not detected). A file moved or copied elsewhere (same size and ends, another path)
// is the same input. URLs and the built-in corpus are named, not read.
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using NanoT5.Config;
using NanoT5.Config.Settings;
using NanoT5.Data.Sources;
using NanoT5.Finetune;
using NanoT5.IO;
using NanoT5.Native;

namespace NanoT5.Runs;

/// <summary>One input file of a run as fingerprinted.</summary>
public sealed record InputFile
{
    /// <summary>The setting that names it (tokenizer.path, data.train_sources, finetune.data_directory).</summary>
    public required string Setting { get; init; }

    /// <summary>Its path relative to the setting's folder, or its file name (URLs and built-ins: the source as given).</summary>
    public required string Name { get; init; }

    public required string Path { get; init; }

    public long Size { get; init; }

    /// <summary>Last modification, UTC, round-trip format.</summary>
    public string? Modified { get; init; }

    /// <summary>SHA-256 of the first MiB (the whole file for the tokenizer).</summary>
    public string? HeadSha256 { get; init; }

    /// <summary>SHA-256 of the last MiB (null when the file is at most a MiB, or not read).</summary>
    public string? TailSha256 { get; init; }
}

/// <summary>Fingerprints of the tokenizer and training data, and their comparison on resume.</summary>
public static class RunInputs
{
    /// <summary>The file beside config.resolved.json that holds them.</summary>
    public const string FileName = RunFolderLayout.InputsFile;

    private const int EndBytes = 1 << 20;

    // A folder of many files (Super-Natural Instructions: ~1,600 tasks) is fingerprinted by size and time only past this many.
    private const int ReadFilesLimit = 64;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The inputs <paramref name="config"/> trains on, as they are on disk now.</summary>
    public static IReadOnlyList<InputFile> Of(ExperimentConfig config)
    {
        var inputs = new List<InputFile>();
        if (config.Tokenizer.Kind == TokenizerKind.SentencePiece && config.Tokenizer.Path is string tokenizer && File.Exists(tokenizer))
        {
            inputs.Add(Fingerprint(ConfigSettingValues.Key(SettingTable.TokenizerPath), System.IO.Path.GetFileName(tokenizer), tokenizer, wholeFile: true, read: true));
        }

        if (config.UsesFinetuneData())
        {
            string root = SniReader.ResolveRoot(config.Finetune, config.RunDirectory);
            string[] files = [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];
            inputs.AddRange(files.Select(f => Fingerprint(ConfigSettingValues.Key(SettingTable.FinetuneData), System.IO.Path.GetRelativePath(root, f), f, wholeFile: false, read: files.Length <= ReadFilesLimit)));
        }
        else
        {
            IReadOnlyList<Shard> shards = SourceResolver.Resolve(config.Data.TrainSources, DataSplit.Train, ConfigSettingValues.Key(SettingTable.TrainSources));
            int local = shards.Count(s => !s.IsUrl && File.Exists(s.Location));
            inputs.AddRange(shards.Select(s => !s.IsUrl && File.Exists(s.Location)
                ? Fingerprint(ConfigSettingValues.Key(SettingTable.TrainSources), System.IO.Path.GetFileName(s.Location), s.Location, wholeFile: false, read: local <= ReadFilesLimit)
                : new InputFile { Setting = ConfigSettingValues.Key(SettingTable.TrainSources), Name = s.Location, Path = s.Location }));
        }

        return inputs;
    }

    /// <summary>Writes the fingerprints of <paramref name="config"/>'s inputs into its run folder.</summary>
    public static void Save(ExperimentConfig config) =>
        AtomicFile.WriteAllText(System.IO.Path.Combine(config.RunDirectory, FileName), JsonSerializer.Serialize(Of(config), Json) + "\n");

    /// <summary>The fingerprints a run folder holds; null when it has none (a run from before they were kept).</summary>
    public static IReadOnlyList<InputFile>? Load(string runDirectory)
    {
        string path = System.IO.Path.Combine(runDirectory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<List<InputFile>>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"{path}: null instead of a list of input files.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not the input fingerprints NanoT5 writes ({e.Message}); delete it to resume without the input check.", e);
        }
    }

    /// <summary>The inputs that changed between <paramref name="saved"/> and <paramref name="now"/>, as setting changes.</summary>
    public static IReadOnlyList<SettingChange> Compare(IReadOnlyList<InputFile> saved, IReadOnlyList<InputFile> now)
    {
        var changes = new List<SettingChange>();
        foreach (string setting in saved.Concat(now).Select(i => i.Setting).Distinct(StringComparer.Ordinal))
        {
            InputFile[] before = [.. saved.Where(i => i.Setting == setting)];
            InputFile[] after = [.. now.Where(i => i.Setting == setting)];
            foreach (InputFile old in before)
            {
                InputFile? @new = after.FirstOrDefault(i => i.Name == old.Name);
                if (@new is null)
                {
                    changes.Add(new SettingChange($"{setting} file {old.Name}", Describe(old), "(gone)"));
                }
                else if (Differs(old, @new))
                {
                    changes.Add(new SettingChange($"{setting} file {old.Name}", Describe(old), Describe(@new)));
                }
            }

            changes.AddRange(after.Where(i => before.All(b => b.Name != i.Name)).Select(i => new SettingChange($"{setting} file {i.Name}", "(none)", Describe(i))));
        }

        return changes;
    }

    // Content first; the time only counts where the path is the same (an edit in place), not for a moved copy.
    private static bool Differs(InputFile old, InputFile @new) =>
        old.Size != @new.Size || old.HeadSha256 != @new.HeadSha256 || old.TailSha256 != @new.TailSha256 ||
        (old.Path == @new.Path && old.Modified != @new.Modified);

    private static string Describe(InputFile file) => file.Modified is null
        ? file.Path
        : string.Create(CultureInfo.InvariantCulture, $"{file.Size} bytes, modified {file.Modified}{(file.HeadSha256 is null ? string.Empty : ", sha256 " + file.HeadSha256[..12])}");

    private static InputFile Fingerprint(string setting, string name, string path, bool wholeFile, bool read)
    {
        var info = new FileInfo(path);
        string full = info.FullName;
        string modified = info.LastWriteTimeUtc.ToString("O", CultureInfo.InvariantCulture);
        // A FIFO or device in place of a file would block or never end.
        if (!read || !FileKind.IsRegularFile(full))
        {
            return new InputFile { Setting = setting, Name = name, Path = full, Size = info.Length, Modified = modified };
        }

        using var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        long size = stream.Length;
        string head = Hash(stream, 0, wholeFile ? size : Math.Min(size, EndBytes));
        string? tail = wholeFile || size <= EndBytes ? null : Hash(stream, size - EndBytes, EndBytes);
        return new InputFile { Setting = setting, Name = name, Path = full, Size = size, Modified = modified, HeadSha256 = head, TailSha256 = tail };
    }

    private static string Hash(FileStream stream, long offset, long length)
    {
        stream.Position = offset;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[1 << 16];
        for (long left = length; left > 0;)
        {
            int read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
            {
                break;
            }

            hash.AppendData(buffer, 0, read);
            left -= read;
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
