// Ports nanoT5's DataCollatorForT5MLM (random_spans_noise_mask, create_sentinel_ids, filter_input_ids),
// itself T5's span corruption: noise and non-noise tokens are each cut uniformly at random into the same
// number of non-empty spans, spans alternate starting with non-noise, and each span the other side keeps
// is replaced by one sentinel (increasing order, ids counted down from the tokenizer length), then eos.
using NanoT5.Config;

namespace NanoT5.Data.SpanCorruption;

/// <summary>Turns rows of <see cref="SpanCorruptionLengths.TokensLength"/> tokens into (inputs, targets).</summary>
public sealed class SpanCorruptor
{
    private readonly double noiseDensity;
    private readonly double meanNoiseSpanLength;
    private readonly int sentinelBase;
    private readonly int eosId;

    /// <param name="tokenizerCount">Tokenizer length: <c>&lt;extra_id_0&gt;</c> is tokenizerCount - 1.</param>
    public SpanCorruptor(int inputLength, double noiseDensity, double meanNoiseSpanLength, int tokenizerCount, int eosId)
    {
        Lengths = SpanCorruptionLengths.Compute(inputLength, noiseDensity, meanNoiseSpanLength);
        Lengths.ThrowIfUnusable(SpanCorruptionLengths.MaxSentinels);
        InputLength = inputLength;
        this.noiseDensity = noiseDensity;
        this.meanNoiseSpanLength = meanNoiseSpanLength;
        sentinelBase = tokenizerCount - 1;
        this.eosId = eosId;
    }

    /// <summary>The span corruption of <paramref name="data"/>'s settings (input length, noise density, mean span length).</summary>
    public SpanCorruptor(DataSettings data, int tokenizerCount, int eosId)
        : this(data.InputLength, data.NoiseDensity, data.MeanNoiseSpanLength, tokenizerCount, eosId)
    {
    }

    /// <summary>The row lengths <paramref name="data"/>'s settings give (what a corruptor of them makes, unchecked).</summary>
    public static SpanCorruptionLengths LengthsOf(DataSettings data) =>
        SpanCorruptionLengths.Compute(data.InputLength, data.NoiseDensity, data.MeanNoiseSpanLength);

    public SpanCorruptionLengths Lengths { get; }

    public int InputLength { get; }

    /// <summary>Span lengths of one row: non-noise and noise alternate, non-noise first, equal counts.</summary>
    public (int[] NonNoise, int[] Noise) SpanLengths(ref CounterRandom random)
    {
        int length = Lengths.TokensLength;
        (int noiseTokens, int noiseSpans) = SpanCorruptionLengths.NoiseCounts(length, noiseDensity, meanNoiseSpanLength);
        int[] noise = RandomSegmentation(noiseTokens, noiseSpans, ref random);
        int[] nonNoise = RandomSegmentation(length - noiseTokens, noiseSpans, ref random);
        return (nonNoise, noise);
    }

    /// <summary>
    /// Corrupts <paramref name="row"/> into <paramref name="inputs"/> (exactly input length) and
    /// <paramref name="targets"/> (exactly target length).
    /// </summary>
    public void Corrupt(ReadOnlySpan<int> row, ref CounterRandom random, Span<long> inputs, Span<long> targets)
    {
        if (row.Length != Lengths.TokensLength || inputs.Length != InputLength || targets.Length != Lengths.TargetLength)
        {
            throw new ArgumentException(
                $"span corruption takes rows of {Lengths.TokensLength} into {InputLength} inputs and {Lengths.TargetLength} targets " +
                $"(got {row.Length}, {inputs.Length}, {targets.Length})");
        }

        (int[] nonNoise, int[] noise) = SpanLengths(ref random);
        int position = 0;
        int written = 0;
        int targetWritten = 0;
        for (int span = 0; span < noise.Length; span++)
        {
            long sentinel = sentinelBase - span;
            targets[targetWritten++] = sentinel;
            for (int i = 0; i < nonNoise[span]; i++)
            {
                inputs[written++] = row[position++];
            }

            inputs[written++] = sentinel;
            for (int i = 0; i < noise[span]; i++)
            {
                targets[targetWritten++] = row[position++];
            }
        }

        inputs[written] = eosId;
        targets[targetWritten] = eosId;
    }

    // _random_segmentation: which of the items-1 gaps start a new segment is a uniformly random subset of size segments-1.
    private static int[] RandomSegmentation(int items, int segments, ref CounterRandom random)
    {
        var startsSegment = new bool[items - 1];
        for (int i = 0; i < segments - 1; i++)
        {
            startsSegment[i] = true;
        }

        random.Shuffle(startsSegment.AsSpan());
        var lengths = new int[segments];
        int segment = 0;
        lengths[0] = 1;
        foreach (bool start in startsSegment)
        {
            if (start)
            {
                segment++;
            }

            lengths[segment]++;
        }

        return lengths;
    }
}
