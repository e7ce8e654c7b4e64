// What every streamed format does when a shard cannot be opened or breaks mid-read: report, never crash.

namespace NanoT5.Data.Sources;

internal static class ShardOpening
{
    /// <summary>The opened stream, or null after reporting the shard as bad.</summary>
    public static Stream? TryOpen(Shard shard, Func<Stream> open, DataProblems problems)
    {
        try
        {
            return open();
        }
        catch (Exception e) when (IsReadFailure(e))
        {
            problems.BadShard(shard, $"cannot open: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// The lines of a shard whose records are lines (JSON lines), numbered from 0, from record
    /// <paramref name="skipRecords"/> on: earlier lines are passed over unparsed and uncounted; a shard that cannot be
    /// opened gives nothing and a read failure ends it (both reported). A line is valid until the next one is read.
    /// </summary>
    public static IEnumerable<(long Record, ReadOnlyMemory<byte> Line, bool TooLong)> Lines(Shard shard, Func<Stream> open, long skipRecords, DataProblems problems)
    {
        Stream? stream = TryOpen(shard, open, problems);
        if (stream is null)
        {
            yield break;
        }

        using (stream)
        {
            var lines = new LineReader(stream);
            long record = 0;
            problems.Recording = skipRecords == 0;
            while (TryRead(shard, record, lines, problems, out ReadOnlyMemory<byte> line, out bool tooLong))
            {
                long current = record++;
                if (current < skipRecords)
                {
                    problems.Recording = record >= skipRecords;
                    continue;
                }

                yield return (current, line, tooLong);
            }

            problems.Recording = true;
        }
    }

    /// <summary>The next line; false at the end or after a read failure that retries could not fix (reported).</summary>
    public static bool TryRead(Shard shard, long record, LineReader lines, DataProblems problems, out ReadOnlyMemory<byte> line, out bool tooLong)
    {
        try
        {
            return lines.TryReadLine(out line, out tooLong);
        }
        catch (Exception e) when (IsReadFailure(e))
        {
            problems.Recording = true;
            problems.BadRecord(shard, record, $"read failed, rest of the shard skipped: {e.Message}");
            line = default;
            tooLong = false;
            return false;
        }
    }

    public static bool IsReadFailure(Exception e) =>
        e is IOException or HttpRequestException or UnauthorizedAccessException or OperationCanceledException or InvalidDataException
        && e is not BadDataLimitException;
}
