// HuggingFace's Parquet conversion of C4: a "text" column, read one row group at a time (bounded memory);
// a record is a row. An unreadable file (truncated: no footer) is a bad shard; an unreadable row group is
// counted as that many bad records and skipped.
using Parquet;
using Parquet.Schema;

namespace NanoT5.Data.Sources;

/// <summary>Reads .parquet shards.</summary>
internal sealed class ParquetFormat : IShardFormat
{
    public ShardFormat Name => ShardFormat.Parquet;

    public IReadOnlyList<string> Endings { get; } = [".parquet"];

    // Parquet needs random access (the footer first).
    public IEnumerable<SourceDocument> Read(ShardInput input, long skipRecords, DataProblems problems) =>
        Read(input.Shard, input.OpenSeekable, skipRecords, problems);

    private static IEnumerable<SourceDocument> Read(Shard shard, Func<Stream> open, long skipRecords, DataProblems problems)
    {
        Stream? stream = ShardOpening.TryOpen(shard, open, problems);
        if (stream is null)
        {
            yield break;
        }

        using (stream)
        {
            ParquetReader? reader = OpenReader(shard, stream, problems, out DataField? text);
            if (reader is null || text is null)
            {
                yield break;
            }

            try
            {
                long firstRow = 0;
                for (int group = 0; group < reader.RowGroupCount; group++)
                {
                    long rows = reader.RowGroups[group].RowCount;
                    long groupStart = firstRow;
                    firstRow += rows;
                    if (groupStart + rows <= skipRecords)
                    {
                        continue;
                    }

                    string?[]? values = ReadGroup(shard, reader, group, text, groupStart, rows, problems);
                    for (long i = Math.Max(0, skipRecords - groupStart); values is not null && i < values.Length; i++)
                    {
                        string? value = values[i];
                        if (string.IsNullOrWhiteSpace(value))
                        {
                            problems.EmptyRecord();
                        }
                        else
                        {
                            problems.GoodRecord();
                            yield return new SourceDocument(groupStart + i, value);
                        }
                    }
                }
            }
            finally
            {
                reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }

    private static ParquetReader? OpenReader(Shard shard, Stream stream, DataProblems problems, out DataField? text)
    {
        text = null;
        try
        {
            ParquetReader reader = ParquetReader.CreateAsync(stream, leaveStreamOpen: true).GetAwaiter().GetResult();
            text = reader.Schema.GetDataFields().FirstOrDefault(f => f.Name == "text");
            if (text is null)
            {
                reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
                problems.BadShard(shard, "no column named \"text\"");
                return null;
            }

            return reader;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or InvalidOperationException && e is not BadDataLimitException)
        {
            problems.BadShard(shard, $"not a readable Parquet file ({e.Message})");
            return null;
        }
    }

    private static string?[]? ReadGroup(Shard shard, ParquetReader reader, int group, DataField text, long groupStart, long rows, DataProblems problems)
    {
        try
        {
            using ParquetRowGroupReader rowGroup = reader.OpenRowGroupReader(group);
            var values = new string?[rows];
            rowGroup.ReadAsync(text, values.AsMemory()!, null).AsTask().GetAwaiter().GetResult();
            return values;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException or InvalidOperationException or IndexOutOfRangeException && e is not BadDataLimitException)
        {
            problems.BadRecord(shard, groupStart, $"row group {group} unreadable ({e.Message}), its {rows} rows", rows);
            return null;
        }
    }
}
