// The background half of the pipeline. One reader thread walks the shards in a seeded order and groups
// documents into chunks; each chunk is tokenized on a worker (at most Workers at once), concatenated and
// cut into rows of the pre-masking length (remainder dropped, as nanoT5's tokenize_function). Chunks
// queue in reading order (a bounded channel: bounded memory), so the rows come out in the same order
// however the workers are scheduled.
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using NanoT5.Data.SpanCorruption;
using NanoT5.Data.Sources;

namespace NanoT5.Data.Pipeline;

/// <summary>A chunk of documents on its way to rows.</summary>
internal sealed record ChunkJob(ChunkPosition Position, DataCounts CountsBefore, Task<int[][]> Rows);

/// <summary>Reads, tokenizes and cuts rows in the background, in a deterministic order.</summary>
internal sealed class ChunkProducer : IDisposable
{
    // A chunk's list grows with its documents: documents_per_chunk 2^31-1 must not reserve 16 GB up front.
    private const int InitialChunkCapacity = 4096;

    private readonly PipelineOptions options;
    private readonly ITextTokenizer tokenizer;
    private readonly int rowLength;
    private readonly IDataWarningSink warnings;
    private readonly ShardReader reader;
    private readonly Channel<ChunkJob> jobs;
    private readonly SemaphoreSlim workerSlots;
    private readonly CancellationTokenSource stop = new();
    private readonly Task readerTask;

    public ChunkProducer(PipelineOptions options, ITextTokenizer tokenizer, int rowLength, IDataWarningSink warnings, ChunkPosition start, DataCounts countsBefore)
    {
        this.options = options;
        this.tokenizer = tokenizer;
        this.rowLength = rowLength;
        this.warnings = warnings;
        reader = new ShardReader(options.Http, options.Data.TextSampleBy);
        int workers = Math.Max(1, options.Workers);
        workerSlots = new SemaphoreSlim(workers);
        jobs = Channel.CreateBounded<ChunkJob>(new BoundedChannelOptions(2 * workers) { SingleReader = true, SingleWriter = true });
        readerTask = Task.Factory.StartNew(() => ReadAll(start, countsBefore), stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Order of shard indices in <paramref name="epoch"/>.</summary>
    public static int[] ShardOrder(int shardCount, long epoch, long seed, bool shuffle)
    {
        int[] order = Enumerable.Range(0, shardCount).ToArray();
        if (shuffle)
        {
            new CounterRandom(seed, CounterRandom.ShardOrderPurpose, epoch).Shuffle(order.AsSpan());
        }

        return order;
    }

    /// <summary>The next chunk in reading order; blocks until it is queued; rethrows the reader's failure.</summary>
    public ChunkJob Take()
    {
        try
        {
            if (jobs.Reader.TryRead(out ChunkJob? ready))
            {
                return ready;
            }

            return jobs.Reader.ReadAsync(stop.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        try
        {
            readerTask.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // The reader's failure was already handed to Take(); cancellation ends it as intended.
        }

        // A reader stuck in a network read past the wait keeps its token and slots; they are left to the GC.
        if (readerTask.IsCompleted)
        {
            stop.Dispose();
            workerSlots.Dispose();
        }
    }

    private void ReadAll(ChunkPosition start, DataCounts countsBefore)
    {
        try
        {
            var problems = new DataProblems(warnings, options.Data.MaxBadDataFraction, options.Shards.Count, countsBefore);
            for (long epoch = start.Epoch; ; epoch++)
            {
                int[] order = ShardOrder(options.Shards.Count, epoch, options.Seed, options.ShuffleShards);
                bool wholeEpoch = epoch != start.Epoch || (start.ShardOrdinal == 0 && start.FirstRecord == 0);
                long documents = 0;
                for (int ordinal = epoch == start.Epoch ? start.ShardOrdinal : 0; ordinal < order.Length; ordinal++)
                {
                    long skip = epoch == start.Epoch && ordinal == start.ShardOrdinal ? start.FirstRecord : 0;
                    documents += ReadShard(options.Shards[order[ordinal]], new ChunkPosition(epoch, ordinal, skip), problems);
                }

                problems.EndPass(options.Shards[order[^1]]);
                if (wholeEpoch && documents == 0)
                {
                    throw new InvalidDataException($"data: a full pass over {options.Shards.Count} shard(s) found no usable document (first: {options.Shards[0]})");
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            jobs.Writer.TryComplete();
        }
        catch (Exception e)
        {
            jobs.Writer.TryComplete(e);
        }
    }

    private long ReadShard(Shard shard, ChunkPosition start, DataProblems problems)
    {
        var texts = new List<string>(Math.Min(options.Data.DocumentsPerChunk, InitialChunkCapacity));
        ChunkPosition position = start;
        DataCounts before = problems.Counts;
        long documents = 0;
        foreach (SourceDocument document in reader.Read(shard, start.FirstRecord, problems))
        {
            stop.Token.ThrowIfCancellationRequested();
            if (texts.Count == 0)
            {
                // The document itself is counted again when the chunk is read again after a resume.
                position = start with { FirstRecord = document.Record };
                before = problems.Counts with { Records = problems.Counts.Records - 1 };
            }

            texts.Add(document.Text);
            documents++;
            if (texts.Count == options.Data.DocumentsPerChunk)
            {
                Queue(position, before, texts);
                texts = new List<string>(Math.Min(options.Data.DocumentsPerChunk, InitialChunkCapacity));
            }
        }

        if (texts.Count > 0)
        {
            Queue(position, before, texts);
        }

        return documents;
    }

    private void Queue(ChunkPosition position, DataCounts before, List<string> texts)
    {
        CancellationToken stop = this.stop.Token;
        Task<int[][]> rows = Task.Run(
            async () =>
            {
                await workerSlots.WaitAsync(stop).ConfigureAwait(false);
                try
                {
                    return CutRows(texts);
                }
                finally
                {
                    workerSlots.Release();
                }
            },
            stop);
        jobs.Writer.WriteAsync(new ChunkJob(position, before, rows), stop).AsTask().GetAwaiter().GetResult();
    }

    // nanoT5's tokenize_function: tokenize each document, concatenate, cut into rows, drop the remainder.
    private int[][] CutRows(List<string> texts)
    {
        var ids = new List<int>(texts.Count * 64);
        foreach (string text in texts)
        {
            ids.AddRange(tokenizer.Encode(text));
            if (options.Data.EosAfterDocument)
            {
                ids.Add(tokenizer.EosId);
            }
        }

        var rows = new int[ids.Count / rowLength][];
        for (int r = 0; r < rows.Length; r++)
        {
            rows[r] = ids.GetRange(r * rowLength, rowLength).ToArray();
        }

        return rows;
    }
}
