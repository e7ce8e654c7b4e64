// One readable unit of a data source: a file, a URL, or one XML file of the built-in corpus.
namespace NanoT5.Data.Sources;

/// <summary>How a shard's bytes become documents.</summary>
public enum ShardFormat
{
    /// <summary>JSON lines with a "text" field (C4's json.gz, .jsonl), gzip when the name ends in .gz.</summary>
    JsonLines,

    /// <summary>Parquet with a "text" column (HuggingFace's C4 conversion), read row group by row group.</summary>
    Parquet,

    /// <summary>Plain UTF-8 text: a document is a run of non-blank lines, blank lines separate documents.</summary>
    Text,

    /// <summary>builtin:dotnet-docs, training split.</summary>
    DotnetDocsTrain,

    /// <summary>builtin:dotnet-docs, validation split.</summary>
    DotnetDocsValidation,
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
