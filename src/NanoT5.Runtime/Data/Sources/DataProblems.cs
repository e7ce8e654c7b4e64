// Counting, reporting and the bad-data limit (issue 8): a long run survives corrupt members, truncated
// files, invalid lines and failing URLs, and stops with a clear error only when bad data passes the share
// the experiment allows.
namespace NanoT5.Data.Sources;

/// <summary>Thrown when bad data passes <c>data.max_bad_data_fraction</c>; names the shard that tipped it.</summary>
public sealed class BadDataLimitException : Exception
{
    public BadDataLimitException(string message)
        : base(message)
    {
    }

    public BadDataLimitException()
    {
    }

    public BadDataLimitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>The reader's problem ledger; used by one reader thread at a time.</summary>
public sealed class DataProblems
{
    /// <summary>
    /// Records seen before the record share is enforced mid-pass: one bad line among the first few must not
    /// stop a run whose corpus is overwhelmingly fine. At the end of each full pass the share is always checked.
    /// </summary>
    public const long MinRecordsBeforeLimit = 1000;

    /// <summary>Detailed warnings per shard before they are summarised (a bad shard can hold millions of bad lines).</summary>
    public const int DetailedWarningsPerShard = 20;

    private readonly IDataWarningSink sink;
    private readonly double maxBadFraction;
    private readonly int totalShards;
    private int shardWarnings;
    private long shardBad;
    private long shardEmpty;

    public DataProblems(IDataWarningSink sink, double maxBadFraction, int totalShards, DataCounts start = default)
    {
        this.sink = sink;
        this.maxBadFraction = maxBadFraction;
        this.totalShards = totalShards;
        Counts = start;
    }

    public DataCounts Counts { get; private set; }

    /// <summary>When false (records skipped on resume were counted before the checkpoint) nothing is counted or reported.</summary>
    public bool Recording { get; set; } = true;

    public void StartShard()
    {
        shardWarnings = 0;
        shardBad = 0;
        shardEmpty = 0;
    }

    public void GoodRecord()
    {
        if (Recording)
        {
            Counts = Counts with { Records = Counts.Records + 1 };
        }
    }

    public void EmptyRecord()
    {
        if (Recording)
        {
            shardEmpty++;
            Counts = Counts with { Records = Counts.Records + 1, EmptyRecords = Counts.EmptyRecords + 1 };
        }
    }

    /// <summary>A record (or <paramref name="count"/> records, e.g. an unreadable row group) skipped as bad.</summary>
    public void BadRecord(Shard shard, long record, string reason, long count = 1)
    {
        if (!Recording)
        {
            return;
        }

        shardBad += count;
        Counts = Counts with { Records = Counts.Records + count, BadRecords = Counts.BadRecords + count };
        if (shardWarnings++ < DetailedWarningsPerShard)
        {
            sink.Warn(new DataWarning(shard.Location, record, reason + " (skipped)"));
        }

        if (Counts.Records >= MinRecordsBeforeLimit)
        {
            CheckRecordShare(shard);
        }
    }

    /// <summary>A corrupt stretch of a compressed stream: counted as one bad record and always reported.</summary>
    public void CorruptStream(Shard shard, string reason)
    {
        if (Recording)
        {
            sink.Warn(new DataWarning(shard.Location, -1, reason));
            shardBad++;
            Counts = Counts with { Records = Counts.Records + 1, BadRecords = Counts.BadRecords + 1 };
        }
    }

    /// <summary>A shard that cannot be read at all (missing, unreachable, no footer, no text column).</summary>
    public void BadShard(Shard shard, string reason)
    {
        // The shard itself is counted by EndShard, which follows.
        Counts = Counts with { BadShards = Counts.BadShards + 1 };
        sink.Warn(new DataWarning(shard.Location, -1, reason + " (shard skipped)"));
        if (Counts.BadShards > maxBadFraction * totalShards)
        {
            throw new BadDataLimitException(
                $"data: {Counts.BadShards} of {totalShards} shards are unreadable, more than data.max_bad_data_fraction = {maxBadFraction} allows; " +
                $"last: {shard.Location}: {reason}");
        }
    }

    public void EndShard(Shard shard)
    {
        Counts = Counts with { Shards = Counts.Shards + 1 };
        if (shardWarnings > DetailedWarningsPerShard)
        {
            sink.Warn(new DataWarning(shard.Location, -1, $"{shardBad} bad records skipped in this shard ({shardWarnings - DetailedWarningsPerShard} warnings not shown)"));
        }

        if (shardEmpty > 0)
        {
            sink.Warn(new DataWarning(shard.Location, -1, $"{shardEmpty} empty documents skipped"));
        }

        if (Counts.Records >= MinRecordsBeforeLimit)
        {
            CheckRecordShare(shard);
        }
    }

    /// <summary>At the end of a full pass over the sources the share is enforced however few records there were.</summary>
    public void EndPass(Shard lastShard) => CheckRecordShare(lastShard);

    private void CheckRecordShare(Shard shard)
    {
        if (Counts.Records > 0 && Counts.BadRecords > maxBadFraction * Counts.Records)
        {
            throw new BadDataLimitException(
                $"data: {Counts.BadRecords} of {Counts.Records} records read so far are bad ({(double)Counts.BadRecords / Counts.Records:P1}), " +
                $"more than data.max_bad_data_fraction = {maxBadFraction} allows; stopped in {shard.Location}");
        }
    }
}
