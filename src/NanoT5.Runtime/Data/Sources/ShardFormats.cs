// The one place that knows which data formats exist: it tells a file's format by its name and opens a shard with
// its format. Nothing else switches over formats.
using NanoT5.Data.BuiltIn;

namespace NanoT5.Data.Sources;

/// <summary>The registry of <see cref="IShardFormat"/>s.</summary>
public static class ShardFormats
{
    private static readonly Lock Gate = new();

    // The formats that ship, in the order their endings are listed in messages. A new format is added here.
    private static IShardFormat[] registered =
    [
        new JsonLinesFormat(),
        new ParquetFormat(),
        new PlainTextFormat(),
        new DotnetDocsFormat(DataSplit.Train),
        new DotnetDocsFormat(DataSplit.Validation),
    ];

    /// <summary>Every registered format, the shipped ones first.</summary>
    public static IReadOnlyList<IShardFormat> All => Volatile.Read(ref registered);

    /// <summary>Known file endings, for messages and docs.</summary>
    public static string KnownEndings => string.Join(", ", All.SelectMany(f => f.Endings));

    /// <summary>
    /// Adds <paramref name="format"/> for the rest of the process (a format that does not ship with the runtime);
    /// registering the same instance again does nothing. Throws when its name or one of its endings is taken.
    /// </summary>
    public static void Register(IShardFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        lock (Gate)
        {
            IShardFormat[] formats = registered;
            if (formats.Contains(format))
            {
                return;
            }

            if (string.IsNullOrEmpty(format.Name.Name) || formats.Any(f => f.Name == format.Name))
            {
                throw new ArgumentException($"shard format name '{format.Name}' is empty or already registered", nameof(format));
            }

            if (format.Endings.FirstOrDefault(e => !e.StartsWith('.') || formats.Any(f => f.Endings.Contains(e, StringComparer.OrdinalIgnoreCase))) is { } taken)
            {
                throw new ArgumentException($"shard format {format.Name}: ending '{taken}' does not start with '.' or belongs to another format", nameof(format));
            }

            Volatile.Write(ref registered, [.. formats, format]);
        }
    }

    /// <summary>The format a file or URL (without its query) is by its name; the longest matching ending wins; null when none.</summary>
    public static IShardFormat? ForFileName(string name)
    {
        IShardFormat? found = null;
        int longest = 0;
        foreach (IShardFormat format in All)
        {
            foreach (string ending in format.Endings)
            {
                if (ending.Length > longest && name.EndsWith(ending, StringComparison.OrdinalIgnoreCase))
                {
                    (found, longest) = (format, ending.Length);
                }
            }
        }

        return found;
    }

    /// <summary>The format named <paramref name="name"/>.</summary>
    public static IShardFormat Get(ShardFormat name) =>
        All.FirstOrDefault(f => f.Name == name)
        ?? throw new ArgumentOutOfRangeException(nameof(name), name, $"unknown shard format (registered: {string.Join(", ", All.Select(f => f.Name))})");

    /// <summary>The documents of <paramref name="input"/>'s shard, read by its format (see <see cref="IShardFormat.Read"/>).</summary>
    public static IEnumerable<SourceDocument> Read(ShardInput input, long skipRecords, DataProblems problems) =>
        Get(input.Shard.Format).Read(input, skipRecords, problems);
}
