// In-house corpora as plain UTF-8 text: a document is a run of non-blank lines (joined with '\n'), blank
// lines separate documents, so both "one document per paragraph" and "one per line with blank lines
// between" files work. A file without blank lines is cut every MaxDocumentChars at a line end.
using System.Text;
using System.Text.Unicode;

namespace NanoT5.Data.Sources;

/// <summary>Reads .txt shards; a record is a document.</summary>
internal static class PlainTextFormat
{
    /// <summary>Documents are concatenated anyway; the cap only bounds memory for files without blank lines.</summary>
    public const int MaxDocumentChars = 1 << 20;

    public static IEnumerable<SourceDocument> Read(Shard shard, Func<Stream> open, long skipRecords, DataProblems problems)
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
            bool bad = false;
            long record = 0;
            problems.Recording = skipRecords == 0;
            while (true)
            {
                bool more = ShardOpening.TryRead(shard, record, lines, problems, out ReadOnlyMemory<byte> line, out bool tooLong);
                ReadOnlySpan<byte> bytes = TrimCarriageReturn(line.Span);
                bool blank = !more || LineReader.IsBlank(bytes);
                if (!blank)
                {
                    if (tooLong || !Utf8.IsValid(bytes))
                    {
                        bad = true;
                    }
                    else if (!bad)
                    {
                        document.Append(document.Length > 0 ? "\n" : string.Empty).Append(Encoding.UTF8.GetString(bytes));
                    }
                }

                if ((blank || document.Length >= MaxDocumentChars) && (document.Length > 0 || bad))
                {
                    long current = record++;
                    problems.Recording = record >= skipRecords;
                    if (current >= skipRecords)
                    {
                        if (bad)
                        {
                            problems.BadRecord(shard, current, tooLong ? "line too long" : "not valid UTF-8");
                        }
                        else
                        {
                            problems.GoodRecord();
                            yield return new SourceDocument(current, document.ToString());
                        }
                    }

                    document.Clear();
                    bad = false;
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
