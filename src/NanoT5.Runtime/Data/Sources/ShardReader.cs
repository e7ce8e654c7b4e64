// Reads the documents of one shard in record order, skipping bad records (reported and counted) and
// optionally the first records (exact resume); a shard that cannot be opened is reported as bad.
using NanoT5.Config;

namespace NanoT5.Data.Sources;

/// <summary>Documents of shards of every registered format (<see cref="ShardFormats"/>); <paramref name="textSampleBy"/> says what a .txt document is.</summary>
public sealed class ShardReader(HttpSourceOptions http, TextSampleBy textSampleBy = TextSampleBy.Line)
{
    /// <summary>
    /// Non-empty documents of <paramref name="shard"/> from record <paramref name="skipRecords"/> on. Records
    /// before it are skipped without being parsed, counted or reported (they were, before the checkpoint).
    /// </summary>
    public IEnumerable<SourceDocument> Read(Shard shard, long skipRecords, DataProblems problems)
    {
        problems.StartShard();
        var input = new ShardInput(shard, () => OpenDecompressed(shard, problems), () => OpenSeekable(shard), textSampleBy);
        return WithEndOfShard(shard, ShardFormats.Read(input, skipRecords, problems), problems);
    }

    private static IEnumerable<SourceDocument> WithEndOfShard(Shard shard, IEnumerable<SourceDocument> documents, DataProblems problems)
    {
        foreach (SourceDocument document in documents)
        {
            yield return document;
        }

        problems.EndShard(shard);
    }

    private Stream OpenRaw(Shard shard)
    {
        if (!shard.IsUrl)
        {
            return new FileStream(shard.Location, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }

        var stream = new ResumableHttpStream(RedirectPolicy.Parse(shard.Location), http);
        try
        {
            stream.Open();
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private Stream OpenDecompressed(Shard shard, DataProblems problems)
    {
        Stream raw = OpenRaw(shard);
        return shard.IsGzip
            ? new RecoveringGzipStream(raw, (offset, message) => problems.CorruptStream(shard, $"corrupt gzip data at compressed byte {offset}: {message}; resuming at the next gzip member"))
            : raw;
    }

    // Parquet needs random access: a URL is first downloaded (resumably) to a temporary file, deleted on close; in a
    // run folder's .downloads (emptied on the next start) so a kill mid-download leaves nothing behind for good.
    private Stream OpenSeekable(Shard shard)
    {
        if (!shard.IsUrl)
        {
            return OpenRaw(shard);
        }

        string folder = http.DownloadDirectory ?? Path.GetTempPath();
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $"nanot5-{Environment.ProcessId}-{Guid.NewGuid():N}.parquet");
        try
        {
            using (Stream body = OpenRaw(shard))
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                body.CopyTo(file, 1 << 20);
            }

            return new FileStream(temporary, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.DeleteOnClose);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
