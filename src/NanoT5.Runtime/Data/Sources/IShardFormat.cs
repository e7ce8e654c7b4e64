// What a data format is to the reader: a name, the file endings that select it, and a way to turn one shard's
// bytes into documents. docs/architecture.md "Adding a data format" lists the files a new one touches.
using NanoT5.Config;

namespace NanoT5.Data.Sources;

/// <summary>A data format; registered in <see cref="ShardFormats"/>, which alone picks and opens formats.</summary>
public interface IShardFormat
{
    /// <summary>The name printed in the data fingerprint; never changed once released (checkpoints resume by it).</summary>
    ShardFormat Name { get; }

    /// <summary>File name endings (a URL's query ignored) that select this format; empty for one chosen otherwise (builtin:).</summary>
    IReadOnlyList<string> Endings { get; }

    /// <summary>
    /// Non-empty documents of <see cref="ShardInput.Shard"/> from record <paramref name="skipRecords"/> on, each
    /// with its record number (the resume position). Records before it are skipped without being parsed, counted
    /// or reported. Every other record is counted in <paramref name="problems"/> (good, empty or bad, with the
    /// record number); a shard that cannot be opened or parsed is reported as bad, never thrown
    /// (<see cref="ShardOpening.Lines"/> does the opening, skipping and read failures for a format of one record per line).
    /// </summary>
    IEnumerable<SourceDocument> Read(ShardInput input, long skipRecords, DataProblems problems);
}

/// <summary>
/// One shard as the reader hands it to its format: where it is and how to open it, so that files, URLs (resumable
/// HTTP) and gzip work the same for every format.
/// </summary>
public sealed class ShardInput
{
    private readonly Func<Stream> openStream;
    private readonly Func<Stream> openSeekable;

    internal ShardInput(Shard shard, Func<Stream> openStream, Func<Stream> openSeekable, TextSampleBy textSampleBy)
    {
        Shard = shard;
        this.openStream = openStream;
        this.openSeekable = openSeekable;
        TextSampleBy = textSampleBy;
    }

    public Shard Shard { get; }

    /// <summary>What a .txt document is (data.text_sample_by); formats of other kinds ignore it.</summary>
    public TextSampleBy TextSampleBy { get; }

    /// <summary>The bytes front to back: a file, or a URL streamed with resumable retries; gunzipped when the name ends in .gz.</summary>
    public Stream OpenStream() => openStream();

    /// <summary>A seekable stream of the raw bytes: the file, or a URL downloaded to a temporary file deleted on close.</summary>
    public Stream OpenSeekable() => openSeekable();
}
