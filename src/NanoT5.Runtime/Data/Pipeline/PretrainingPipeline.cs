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
    private readonly PipelineOptions _options;
    private readonly SpanCorruptor _corruptor;
    private readonly ChunkProducer _producer;
    private readonly string _setup;
    private readonly List<int[]> _buffer;
    private int[][] _rows = [];
    private int _rowIndex;
    private int _resumeSkip;
    private ChunkPosition _position;
    private DataCounts _countsBefore;
    private long _rowsServed;
    private long _epoch;
    private bool _epochWhole;
    private long _rowsInEpoch;

    /// <summary>
    /// Starts the background work. <paramref name="resume"/> (from <see cref="State"/>) continues a stream exactly;
    /// it must come from the same sources, tokenizer and data settings (<see cref="InvalidDataException"/> otherwise).
    /// <paramref name="warnings"/> receives bad-data warnings from a background thread.
    /// </summary>
    public PretrainingPipeline(PipelineOptions options, ITextTokenizer tokenizer, IDataWarningSink warnings, PipelineState? resume = null)
    {
        ArgumentOutOfRangeException.ThrowIfZero(options.Shards.Count, "options.Shards");
        _options = options;
        _corruptor = new SpanCorruptor(options.InputLength, options.NoiseDensity, options.MeanNoiseSpanLength, tokenizer.Count, tokenizer.EosId);
        int rowLength = _corruptor.Lengths.TokensLength;
        PipelineState start = PipelineState.Start(options, tokenizer, rowLength);
        _setup = start.Setup;
        if (resume is not null && resume.Fingerprint != start.Fingerprint)
        {
            throw new InvalidDataException(
                $"the data state in the checkpoint was saved for another data setup; saved: {resume.Setup}; now: {start.Setup}");
        }

        PipelineState state = resume ?? start;
        _position = state.Position;
        _resumeSkip = state.RowsTaken;
        _countsBefore = state.CountsBefore;
        _rowsServed = state.RowsServed;
        _buffer = [.. state.ShuffleBuffer.Select(row => row.ToArray())];
        _epoch = state.Position.Epoch;
        _epochWhole = state.Position == default;
        _producer = new ChunkProducer(options, tokenizer, rowLength, warnings, state.Position, state.CountsBefore);
    }

    /// <summary>Pre-masking row length and target length (568 / 114 for nanoT5's defaults).</summary>
    public SpanCorruptionLengths Lengths => _corruptor.Lengths;

    /// <summary>Rows per batch.</summary>
    public int BatchSize => _options.BatchSize;

    /// <summary>Bad-data counts up to the current chunk.</summary>
    public DataCounts Counts => _countsBefore;

    /// <summary>The training stream of <paramref name="config"/>; missing sources fail here, before training.</summary>
    public static PretrainingPipeline ForTraining(ExperimentConfig config, ITextTokenizer tokenizer, IDataWarningSink warnings, PipelineState? resume = null, string? baseDirectory = null) =>
        new(PipelineOptions.ForTraining(config, baseDirectory), tokenizer, warnings, resume);

    /// <summary>The next batch; blocks only while the background work has nothing ready (start-up, shuffle-buffer fill).</summary>
    public PretrainingBatch Next()
    {
        int rows = _options.BatchSize;
        int inputLength = _options.InputLength;
        int targetLength = _corruptor.Lengths.TargetLength;
        var inputs = new long[rows * inputLength];
        var labels = new long[rows * targetLength];
        for (int b = 0; b < rows; b++)
        {
            int[] row = NextShuffledRow();
            var random = new CounterRandom(_options.Seed, CounterRandom.MaskPurpose, _rowsServed);
            _corruptor.Corrupt(row, ref random, inputs.AsSpan(b * inputLength, inputLength), labels.AsSpan(b * targetLength, targetLength));
            _rowsServed++;
        }

        return new PretrainingBatch(inputs, labels, rows, inputLength, targetLength);
    }

    /// <summary>The position after the last batch returned: store it with the checkpoint (<see cref="PipelineState.ToBytes"/>).</summary>
    public PipelineState State => new()
    {
        Fingerprint = PipelineState.Hash(_setup),
        Setup = _setup,
        Position = _position,
        RowsTaken = _resumeSkip > 0 ? _resumeSkip : _rowIndex,
        CountsBefore = _countsBefore,
        RowsServed = _rowsServed,
        ShuffleBuffer = [.. _buffer.Select(row => row.ToArray())],
    };

    public void Dispose() => _producer.Dispose();

    private int[] NextShuffledRow()
    {
        if (_options.ShuffleBuffer <= 1)
        {
            return NextSourceRow();
        }

        while (_buffer.Count < _options.ShuffleBuffer)
        {
            _buffer.Add(NextSourceRow());
        }

        var random = new CounterRandom(_options.Seed, CounterRandom.ShufflePurpose, _rowsServed);
        int slot = random.NextInt(_buffer.Count);
        int[] row = _buffer[slot];
        _buffer[slot] = NextSourceRow();
        return row;
    }

    private int[] NextSourceRow()
    {
        while (_rowIndex >= _rows.Length || _resumeSkip > 0)
        {
            ChunkJob job = _producer.Take();
            if (job.Position.Epoch != _epoch)
            {
                if (_epochWhole && _rowsInEpoch == 0)
                {
                    throw new InvalidDataException(
                        $"data: a full pass over {_options.Shards.Count} shard(s) gave no complete row of {_corruptor.Lengths.TokensLength} tokens; " +
                        "the corpus is too small for data.input_length or its documents are bad");
                }

                (_epoch, _epochWhole, _rowsInEpoch) = (job.Position.Epoch, true, 0);
            }

            _rows = job.Rows.GetAwaiter().GetResult();
            _position = job.Position;
            _countsBefore = job.CountsBefore;
            _rowIndex = Math.Min(_resumeSkip, _rows.Length);
            _resumeSkip = 0;
        }

        _rowsInEpoch++;
        return _rows[_rowIndex++];
    }
}
