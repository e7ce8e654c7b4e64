// One readable unit of a data source: a file, a URL, or one XML file of the built-in corpus.
namespace NanoT5.Data.Sources;

/// <summary>
/// A format's name, as the pretraining data fingerprint prints it (`JsonLines:c4-train.00000-of-01024.json.gz`):
/// a checkpoint resumes only with the same names, so a name is never changed once released. The formats themselves
/// are <see cref="IShardFormat"/>s in <see cref="ShardFormats"/>.
/// </summary>
public readonly record struct ShardFormat(string Name)
{
    /// <summary>JSON lines with a "text" field (C4's json.gz, .jsonl), gzip when the name ends in .gz.</summary>
    public static readonly ShardFormat JsonLines = new(nameof(JsonLines));

    /// <summary>Parquet with a "text" column (HuggingFace's C4 conversion), read row group by row group.</summary>
    public static readonly ShardFormat Parquet = new(nameof(Parquet));

    /// <summary>Plain UTF-8 text: a document is a line, a paragraph or the whole file (data.text_sample_by).</summary>
    public static readonly ShardFormat Text = new(nameof(Text));

    /// <summary>builtin:dotnet-docs, training split.</summary>
    public static readonly ShardFormat DotnetDocsTrain = new(nameof(DotnetDocsTrain));

    /// <summary>builtin:dotnet-docs, validation split.</summary>
    public static readonly ShardFormat DotnetDocsValidation = new(nameof(DotnetDocsValidation));

    /// <summary>The name alone: what the enum this replaced printed, so fingerprints of older checkpoints still match.</summary>
    public override string ToString() => Name ?? string.Empty;
}

/// <summary>A shard: <paramref name="Location"/> is a full path or an http(s) URL.</summary>
public sealed record Shard(string Location, ShardFormat Format)
{
    public bool IsUrl => Location.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || Location.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>gzip-compressed (by its name).</summary>
    public bool IsGzip => NameWithoutQuery.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>The location without a URL's query string, for format detection.</summary>
    public string NameWithoutQuery => IsUrl && Location.Contains('?', StringComparison.Ordinal) ? Location[..Location.IndexOf('?', StringComparison.Ordinal)] : Location;

    public override string ToString() => Location;
}
