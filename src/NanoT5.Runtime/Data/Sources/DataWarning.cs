// Bad data is reported, counted and skipped; the training loop decides where warnings go.
namespace NanoT5.Data.Sources;

/// <summary>One skipped piece of data: the shard, the record (line, row or document index) and why.</summary>
public sealed record DataWarning(string Shard, long Record, string Message)
{
    public override string ToString() => Record >= 0 ? $"{Shard} (record {Record}): {Message}" : $"{Shard}: {Message}";
}

/// <summary>Receives data warnings; called from the pipeline's background reader thread.</summary>
public interface IDataWarningSink
{
    void Warn(DataWarning warning);
}

/// <summary>Writes warnings to a <see cref="TextWriter"/> (standard error by default), one line each.</summary>
public sealed class TextWriterWarningSink(TextWriter writer) : IDataWarningSink
{
    private readonly Lock gate = new();

    /// <summary>Warnings to standard error.</summary>
    public static TextWriterWarningSink StandardError { get; } = new(Console.Error);

    public void Warn(DataWarning warning)
    {
        lock (gate)
        {
            writer.WriteLine($"warning: data: {warning}");
        }
    }
}

/// <summary>Counts of what the reader has seen; carried with every chunk so that resume restores them exactly.</summary>
public readonly record struct DataCounts(long Records, long BadRecords, long EmptyRecords, long Shards, long BadShards);
