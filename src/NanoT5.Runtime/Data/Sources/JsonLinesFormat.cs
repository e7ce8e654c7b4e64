// C4's shard format and .jsonl: one JSON object per line, the document in its "text" string.
using System.Text.Json;
using System.Text.Unicode;

namespace NanoT5.Data.Sources;

/// <summary>Reads JSON lines; a record is a line.</summary>
internal sealed class JsonLinesFormat : IShardFormat
{
    public ShardFormat Name => ShardFormat.JsonLines;

    public IReadOnlyList<string> Endings { get; } = [".json.gz", ".jsonl.gz", ".json", ".jsonl"];

    public IEnumerable<SourceDocument> Read(ShardInput input, long skipRecords, DataProblems problems) =>
        Read(input.Shard, input.OpenStream, skipRecords, problems);

    private static IEnumerable<SourceDocument> Read(Shard shard, Func<Stream> open, long skipRecords, DataProblems problems)
    {
        foreach ((long current, ReadOnlyMemory<byte> line, bool tooLong) in ShardOpening.Lines(shard, open, skipRecords, problems))
        {
            string? error = null;
            string? text = tooLong ? null : Parse(line.Span, out error);
            if (tooLong)
            {
                problems.BadRecord(shard, current, $"line longer than {LineReader.MaxLineBytes} bytes");
            }
            else if (text is null)
            {
                if (error is null)
                {
                    continue;
                }

                problems.BadRecord(shard, current, error);
            }
            else if (string.IsNullOrWhiteSpace(text))
            {
                problems.EmptyRecord();
            }
            else
            {
                problems.GoodRecord();
                yield return new SourceDocument(current, text);
            }
        }
    }

    /// <summary>The "text" of one line; null with a null error for a blank line, null with an error for a bad one.</summary>
    private static string? Parse(ReadOnlySpan<byte> line, out string? error)
    {
        error = null;
        if (LineReader.IsBlank(line))
        {
            return null;
        }

        if (!Utf8.IsValid(line))
        {
            error = "not valid UTF-8";
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "not a JSON object";
                return null;
            }

            string? text = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isText = reader.ValueTextEquals("text"u8);
                reader.Read();
                if (isText && reader.TokenType == JsonTokenType.String)
                {
                    text = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                error = "invalid JSON";
                return null;
            }

            error = text is null ? "no \"text\" string field" : null;
            return text;
        }
        catch (JsonException e)
        {
            error = $"invalid JSON ({e.Message})";
            return null;
        }
    }
}
