// In-house corpora as plain UTF-8 text, read as HuggingFace datasets' `text` loader does (what a nanoT5 user
// pointing at a text corpus gets): sample_by="line" (default) makes every line a document, "paragraph" a run of
// lines between blank lines, "document" the whole file. Blank lines are never documents of their own (HF would
// make an empty record, i.e. a lone eos); paragraph and whole-file documents are cut every MaxDocumentChars at a
// line end to bound memory.
using System.Text;
using System.Text.Unicode;
using NanoT5.Config;

namespace NanoT5.Data.Sources;

/// <summary>Reads .txt shards; a record is a document.</summary>
internal sealed class PlainTextFormat : IShardFormat
{
    /// <summary>Longest paragraph or whole-file document before it is cut at a line end (memory bound).</summary>
    public const int MaxDocumentChars = 1 << 20;

    public ShardFormat Name => ShardFormat.Text;

    public IReadOnlyList<string> Endings { get; } = [".txt", ".txt.gz"];

    public IEnumerable<SourceDocument> Read(ShardInput input, long skipRecords, DataProblems problems) =>
        Read(input.Shard, input.OpenStream, input.TextSampleBy, skipRecords, problems);

    private static IEnumerable<SourceDocument> Read(Shard shard, Func<Stream> open, TextSampleBy sampleBy, long skipRecords, DataProblems problems)
    {
        Stream? stream = ShardOpening.TryOpen(shard, open, problems);
        if (stream is null)
        {
            yield break;
        }

        using (stream)
        {
            var lines = new LineReader(stream);
            var document = new StringBuilder();
            string? bad = null;
            long record = 0;
            problems.Recording = skipRecords == 0;
            while (true)
            {
                bool more = ShardOpening.TryRead(shard, record, lines, problems, out ReadOnlyMemory<byte> line, out bool tooLong);
                ReadOnlySpan<byte> bytes = TrimCarriageReturn(line.Span);

                // A line over LineReader's limit comes back empty: it is a bad line, not a blank one.
                bool blank = more && !tooLong && LineReader.IsBlank(bytes);
                if (more && !blank)
                {
                    if (tooLong)
                    {
                        bad ??= $"line longer than {LineReader.MaxLineBytes} bytes";
                    }
                    else if (!Utf8.IsValid(bytes))
                    {
                        bad ??= "not valid UTF-8";
                    }
                    else if (bad is null)
                    {
                        document.Append(document.Length > 0 ? "\n" : string.Empty).Append(Encoding.UTF8.GetString(bytes));
                    }
                }
                else if (blank && sampleBy == TextSampleBy.Document && document.Length > 0)
                {
                    document.Append('\n');
                }

                bool end = !more || document.Length >= MaxDocumentChars || sampleBy switch
                {
                    TextSampleBy.Line => !blank,
                    TextSampleBy.Paragraph => blank,
                    _ => false,
                };
                if (end && (document.Length > 0 || bad is not null))
                {
                    long current = record++;
                    problems.Recording = record >= skipRecords;
                    if (current >= skipRecords)
                    {
                        if (bad is not null)
                        {
                            problems.BadRecord(shard, current, bad);
                        }
                        else
                        {
                            problems.GoodRecord();
                            yield return new SourceDocument(current, document.ToString().TrimEnd('\n'));
                        }
                    }

                    document.Clear();
                    bad = null;
                }

                if (!more)
                {
                    break;
                }
            }

            problems.Recording = true;
        }
    }

    private static ReadOnlySpan<byte> TrimCarriageReturn(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
}
