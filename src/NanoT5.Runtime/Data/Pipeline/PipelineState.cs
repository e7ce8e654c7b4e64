// The exact position of a pipeline after the last batch it handed out: where the next source row comes
// from, the shuffle buffer's rows, how many rows were served (the counter behind every shuffle pick and
// noise mask) and the bad-data counts. Stored in each checkpoint as bytes; restoring it continues with
// exactly the batches an uninterrupted run would have produced. Which settings decide the stream is the settings
// table's (DataStream): a new data setting joins the setup without an edit here.
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NanoT5.Config;
using NanoT5.Config.Settings;
using NanoT5.Data.Sources;

namespace NanoT5.Data.Pipeline;

/// <summary>Serializable pipeline position (format version 1).</summary>
public sealed class PipelineState
{
    private const string Magic = "NT5DATA";
    private const int FormatVersion = 1;

    /// <summary>
    /// Hash of <see cref="Setup"/>, kept in the format; a resume compares the setups word by word (SetupDifference), so
    /// a checkpoint of a version that wrote the words in another order still resumes.
    /// </summary>
    public required string Fingerprint { get; init; }

    /// <summary>The same, in words, for the mismatch message.</summary>
    public required string Setup { get; init; }

    /// <summary>Chunk the next source row belongs to.</summary>
    public required ChunkPosition Position { get; init; }

    /// <summary>Rows of that chunk already taken.</summary>
    public required int RowsTaken { get; init; }

    /// <summary>Bad-data counts before that chunk.</summary>
    public required DataCounts CountsBefore { get; init; }

    /// <summary>Rows served in batches so far.</summary>
    public required long RowsServed { get; init; }

    /// <summary>The shuffle buffer's rows, in slot order.</summary>
    public required IReadOnlyList<int[]> ShuffleBuffer { get; init; }

    /// <summary>The start of a fresh stream (<paramref name="settings"/>, <paramref name="read"/>: as in <see cref="SetupOf"/>).</summary>
    public static PipelineState Start(PipelineOptions options, ITextTokenizer tokenizer, int rowLength, IReadOnlyList<Setting>? settings = null, Func<Setting, object?>? read = null)
    {
        string setup = SetupOf(options, tokenizer, rowLength, settings, read);
        return new PipelineState
        {
            Fingerprint = Hash(setup),
            Setup = setup,
            Position = default,
            RowsTaken = 0,
            CountsBefore = default,
            RowsServed = 0,
            ShuffleBuffer = [],
        };
    }

    /// <summary>
    /// What determines the row stream, as "key=value" words: the shards (by file name, not full path, so a run can
    /// resume after its data folder moved), the tokenizer's size, the row length, whether shards are shuffled, then
    /// each setting of <paramref name="settings"/> (default: the settings table) that is part of the stream
    /// (<see cref="Setting.DataStream"/>), read by <paramref name="read"/> (default: <see cref="PipelineOptions.Read"/>).
    /// Batch size and workers are left out (rows and masks do not depend on them); text_sample_by only matters, and
    /// is only written, with text shards.
    /// </summary>
    public static string SetupOf(PipelineOptions options, ITextTokenizer tokenizer, int rowLength, IReadOnlyList<Setting>? settings = null, Func<Setting, object?>? read = null)
    {
        read ??= options.Read;
        bool text = options.Shards.Any(s => s.Format == ShardFormat.Text);
        IEnumerable<string> words = (settings ?? SettingTable.All)
            .Where(s => s.DataStream && (text || s != SettingTable.TextSampleBy))
            .Select(s => $"{Word(s)}={ValueText(read(s))}");
        return $"shards={options.Shards.Count} [{string.Join(",", options.Shards.Select(s => $"{s.Format}:{Path.GetFileName(s.NameWithoutQuery)}"))}] " +
            $"tokenizer_count={tokenizer.Count} row_length={rowLength} shuffle_shards={options.ShuffleShards} " + string.Join(" ", words);
    }

    /// <summary>A setting's key in the setup: the last segment of its JSON path (data.input_length: input_length).</summary>
    public static string Word(Setting setting) => ConfigSettingValues.Key(setting).Split('.')[^1];

    /// <summary>A value as the setup writes it: invariant culture (0.15, True, Line); spaces escaped, lists joined by commas.</summary>
    public static string ValueText(object? value) => value switch
    {
        null => "(none)",
        string s => Uri.EscapeDataString(s),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable<string> list => string.Join(",", list.Select(Uri.EscapeDataString)),
        _ => Uri.EscapeDataString(value.ToString() ?? string.Empty),
    };

    /// <summary>Compact binary form (rows as uint16 when every id fits).</summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(Fingerprint);
            writer.Write(Setup);
            writer.Write(Position.Epoch);
            writer.Write(Position.ShardOrdinal);
            writer.Write(Position.FirstRecord);
            writer.Write(RowsTaken);
            writer.Write(CountsBefore.Records);
            writer.Write(CountsBefore.BadRecords);
            writer.Write(CountsBefore.EmptyRecords);
            writer.Write(CountsBefore.Shards);
            writer.Write(CountsBefore.BadShards);
            writer.Write(RowsServed);
            int rowLength = ShuffleBuffer.Count > 0 ? ShuffleBuffer[0].Length : 0;
            bool narrow = ShuffleBuffer.All(row => row.All(id => id is >= 0 and <= ushort.MaxValue));
            writer.Write(ShuffleBuffer.Count);
            writer.Write(rowLength);
            writer.Write(narrow);
            foreach (int[] row in ShuffleBuffer)
            {
                foreach (int id in row)
                {
                    if (narrow)
                    {
                        writer.Write((ushort)id);
                    }
                    else
                    {
                        writer.Write(id);
                    }
                }
            }
        }

        return stream.ToArray();
    }

    /// <summary>Reads <see cref="ToBytes"/>'s form; throws <see cref="InvalidDataException"/> on anything else.</summary>
    public static PipelineState FromBytes(byte[] bytes)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
            if (reader.ReadString() != Magic || reader.ReadInt32() != FormatVersion)
            {
                throw new InvalidDataException("not a NanoT5 data pipeline state (version 1)");
            }

            string fingerprint = reader.ReadString();
            string setup = reader.ReadString();
            var position = new ChunkPosition(reader.ReadInt64(), reader.ReadInt32(), reader.ReadInt64());
            int rowsTaken = reader.ReadInt32();
            var counts = new DataCounts(reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64());
            long served = reader.ReadInt64();
            int rows = reader.ReadInt32();
            int rowLength = reader.ReadInt32();
            bool narrow = reader.ReadBoolean();
            var buffer = new int[rows][];
            for (int r = 0; r < rows; r++)
            {
                buffer[r] = new int[rowLength];
                for (int i = 0; i < rowLength; i++)
                {
                    buffer[r][i] = narrow ? reader.ReadUInt16() : reader.ReadInt32();
                }
            }

            if (reader.BaseStream.Position != bytes.Length)
            {
                throw new InvalidDataException("trailing bytes after the data pipeline state");
            }

            return new PipelineState
            {
                Fingerprint = fingerprint,
                Setup = setup,
                Position = position,
                RowsTaken = rowsTaken,
                CountsBefore = counts,
                RowsServed = served,
                ShuffleBuffer = buffer,
            };
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("truncated data pipeline state", e);
        }
    }

    public override string ToString() =>
        $"{Position}, {RowsTaken} rows taken, {RowsServed} rows served, {ShuffleBuffer.Count} rows buffered, {CountsBefore.BadRecords} bad records";

    internal static string Hash(string setup) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(setup)))[..32];
}
