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
