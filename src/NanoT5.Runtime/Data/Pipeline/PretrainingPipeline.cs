// The half of the pipeline the training loop calls: rows arrive in a fixed order from the background
// producer; the seeded shuffle buffer (HF datasets' buffer shuffle: fill, then each new row replaces a
// random slot whose row goes out) and span corruption run here, on the caller's thread, because they are
// cheap and keeping them here makes the exact position after every batch available at no cost.
using NanoT5.Config;
using NanoT5.Data.SpanCorruption;
using NanoT5.Data.Sources;

namespace NanoT5.Data.Pipeline;

/// <summary>An endless stream of span-corrupted pretraining batches with exact resume.</summary>
public sealed class PretrainingPipeline : IDisposable
{
    private readonly PipelineOptions options;
    private readonly SpanCorruptor corruptor;
    private readonly ChunkProducer producer;
    private readonly string setup;
    private readonly List<int[]> buffer;
    private int[][] rows = [];
    private int rowIndex;
    private int resumeSkip;
    private ChunkPosition position;
    private DataCounts countsBefore;
    private long rowsServed;
    private long epoch;
    private bool epochWhole;
    private long rowsInEpoch;

    /// <summary>
    /// Starts the background work. <paramref name="resume"/> (from <see cref="State"/>) continues a stream exactly;
    /// it must come from the same sources, tokenizer and data settings (<see cref="InvalidDataException"/> otherwise).
    /// <paramref name="warnings"/> receives bad-data warnings from a background thread.
    /// </summary>
    public PretrainingPipeline(PipelineOptions options, ITextTokenizer tokenizer, IDataWarningSink warnings, PipelineState? resume = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(options.Shards.Count, "options.Shards");
        this.options = options;
        corruptor = new SpanCorruptor(options.Data, tokenizer.Count, tokenizer.EosId);
        int rowLength = corruptor.Lengths.TokensLength;
        PipelineState start = PipelineState.Start(options, tokenizer, rowLength);
        setup = start.Setup;
        if (resume is not null && SetupDifference.Of(resume.Setup, start.Setup) is { Count: > 0 } differences)
        {
            throw new InvalidDataException(
                $"the checkpoint's data position belongs to another data setup: {string.Join(", ", differences)}. " +
                "Resume with the data settings the run was started with, or start the run over (checkpoint.resume false) or under another name.");
        }

        PipelineState state = resume ?? start;
        position = state.Position;
        resumeSkip = state.RowsTaken;
        countsBefore = state.CountsBefore;
        rowsServed = state.RowsServed;
        buffer = [.. state.ShuffleBuffer.Select(row => row.ToArray())];
        epoch = state.Position.Epoch;
        epochWhole = state.Position == default;
        producer = new ChunkProducer(options, tokenizer, rowLength, warnings, state.Position, state.CountsBefore);
    }

    /// <summary>Pre-masking row length and target length (568 / 114 for nanoT5's defaults).</summary>
    public SpanCorruptionLengths Lengths => corruptor.Lengths;

    /// <summary>Rows per batch.</summary>
    public int BatchSize => options.BatchSize;

    /// <summary>Bad-data counts up to the current chunk.</summary>
    public DataCounts Counts => countsBefore;

    /// <summary>The training stream of <paramref name="config"/>; missing sources fail here, before training.</summary>
    public static PretrainingPipeline ForTraining(ExperimentConfig config, ITextTokenizer tokenizer, IDataWarningSink warnings, PipelineState? resume = null, string? baseDirectory = null) =>
        new(PipelineOptions.ForTraining(config, baseDirectory), tokenizer, warnings, resume);

    /// <summary>The next batch; blocks only while the background work has nothing ready (start-up, shuffle-buffer fill).</summary>
    public PretrainingBatch Next()
    {
        int batchRows = options.BatchSize;
        int inputLength = options.Data.InputLength;
        int targetLength = corruptor.Lengths.TargetLength;
        var inputs = new long[batchRows * inputLength];
        var labels = new long[batchRows * targetLength];
        for (int b = 0; b < batchRows; b++)
        {
            int[] row = NextShuffledRow();
            var random = new CounterRandom(options.Seed, CounterRandom.MaskPurpose, rowsServed);
            corruptor.Corrupt(row, ref random, inputs.AsSpan(b * inputLength, inputLength), labels.AsSpan(b * targetLength, targetLength));
            rowsServed++;
        }

        return new PretrainingBatch(inputs, labels, batchRows, inputLength, targetLength);
    }

    /// <summary>The position after the last batch returned: store it with the checkpoint (<see cref="PipelineState.ToBytes"/>).</summary>
    public PipelineState State => new()
    {
        Fingerprint = PipelineState.Hash(setup),
        Setup = setup,
        Position = position,
        RowsTaken = resumeSkip > 0 ? resumeSkip : rowIndex,
        CountsBefore = countsBefore,
        RowsServed = rowsServed,
        ShuffleBuffer = [.. buffer.Select(row => row.ToArray())],
    };

    public void Dispose() => producer.Dispose();

    private int[] NextShuffledRow()
    {
        if (options.Data.ShuffleBuffer <= 1)
        {
            return NextSourceRow();
        }

        while (buffer.Count < options.Data.ShuffleBuffer)
        {
            buffer.Add(NextSourceRow());
        }

        var random = new CounterRandom(options.Seed, CounterRandom.ShufflePurpose, rowsServed);
        int slot = random.NextInt(buffer.Count);
        int[] row = buffer[slot];
        buffer[slot] = NextSourceRow();
        return row;
    }

    private int[] NextSourceRow()
    {
        while (rowIndex >= rows.Length || resumeSkip > 0)
        {
            ChunkJob job = producer.Take();
            if (job.Position.Epoch != epoch)
            {
                if (epochWhole && rowsInEpoch == 0)
                {
                    throw new InvalidDataException(
                        $"data: a full pass over {options.Shards.Count} shard(s) gave no complete row of {corruptor.Lengths.TokensLength} tokens; " +
                        "the corpus is too small for data.input_length or its documents are bad");
                }

                (epoch, epochWhole, rowsInEpoch) = (job.Position.Epoch, true, 0);
            }

            rows = job.Rows.GetAwaiter().GetResult();
            position = job.Position;
            countsBefore = job.CountsBefore;
            rowIndex = Math.Min(resumeSkip, rows.Length);
            resumeSkip = 0;
        }

        rowsInEpoch++;
        return rows[rowIndex++];
    }
}
