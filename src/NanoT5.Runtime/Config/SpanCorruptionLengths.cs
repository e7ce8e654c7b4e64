// Ports T5's random_spans_helper arithmetic (nanoT5's compute_input_and_target_lengths): the pre-masking
// row length and the target length for which span corruption yields exactly `inputLength` encoder tokens.
// One source, compiled twice: into the runtime and into the SDK's build tasks (Sdk/NanoT5.Sdk.Tasks), so a
// .t5proj is rejected at build time by the same arithmetic the data pipeline runs. Keep it netstandard2.0.
namespace NanoT5.Config;

/// <summary>Row lengths of span corruption for one (input length, noise density, mean span length).</summary>
#if NANOT5_SDK_TASKS
internal // the SDK's tasks keep it to themselves
#else
public
#endif
sealed class SpanCorruptionLengths
{
    /// <summary>Sentinels a T5 tokenizer has (&lt;extra_id_0&gt;..&lt;extra_id_99&gt;); one per noise span.</summary>
    public const int MaxSentinels = 100;

    private SpanCorruptionLengths(int inputLength, int tokensLength, int targetsLength, double noiseDensity, double meanNoiseSpanLength)
    {
        InputLength = inputLength;
        TokensLength = tokensLength;
        TargetLength = targetsLength;

        (NoiseTokens, NoiseSpans) = NoiseCounts(tokensLength, noiseDensity, meanNoiseSpanLength);
        RowInputLength = tokensLength - NoiseTokens + NoiseSpans + 1;
        RowTargetLength = NoiseTokens + NoiseSpans + 1;
    }

    /// <summary>Encoder tokens requested.</summary>
    public int InputLength { get; }

    /// <summary>Tokens per row before masking (568 for 512 / 0.15 / 3).</summary>
    public int TokensLength { get; }

    /// <summary>Decoder tokens per row (114 for 512 / 0.15 / 3).</summary>
    public int TargetLength { get; }

    /// <summary>Masked tokens per row.</summary>
    public int NoiseTokens { get; }

    /// <summary>Masked spans per row; each needs its own sentinel.</summary>
    public int NoiseSpans { get; }

    /// <summary>Encoder tokens a corrupted row really has.</summary>
    public int RowInputLength { get; }

    /// <summary>Decoder tokens a corrupted row really has.</summary>
    public int RowTargetLength { get; }

    /// <summary>
    /// Every row comes out at exactly <see cref="InputLength"/> / <see cref="TargetLength"/> tokens and the spans
    /// can be cut (no more spans than noise or non-noise tokens). False for e.g. mean span length 1 or input length 9.
    /// </summary>
    public bool RowsHaveRequestedLengths =>
        RowInputLength == InputLength && RowTargetLength == TargetLength &&
        NoiseSpans <= NoiseTokens && NoiseSpans <= TokensLength - NoiseTokens;

    /// <summary>Every noise span of a row gets a distinct sentinel.</summary>
    public bool FitsSentinels => NoiseSpans <= MaxSentinels;

    /// <summary>T5's arithmetic; arguments outside input &gt;= 2, 0 &lt; density &lt; 1, span &gt;= 1 throw.</summary>
    public static SpanCorruptionLengths Compute(int inputLength, double noiseDensity, double meanNoiseSpanLength)
    {
        if (inputLength < 2 || !(noiseDensity > 0 && noiseDensity < 1) || !(meanNoiseSpanLength >= 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(inputLength),
                $"span corruption needs input length >= 2, 0 < noise density < 1 and mean span length >= 1 (got {inputLength}, {noiseDensity}, {meanNoiseSpanLength})");
        }

        // T5 counts up from the input length while one more token still fits; the helper never decreases as tokens
        // grow, so the same largest length is found by bisection (a counting loop spins for minutes at 2^31-1).
        long tokens = inputLength, tooLong = (long)Math.Ceiling((inputLength + 2.0) / (1 - noiseDensity)) + 2;
        while (tooLong - tokens > 1)
        {
            long middle = tokens + ((tooLong - tokens) / 2);
            (tokens, tooLong) = HelperInputLength(middle, noiseDensity, meanNoiseSpanLength) <= inputLength ? (middle, tooLong) : (tokens, middle);
        }

        // Rows longer than an int can index cannot be made; clamped, they fail RowsHaveRequestedLengths.
        tokens = Math.Min(tokens, int.MaxValue / 2);
        long noise = RoundHalfEven(tokens * noiseDensity);
        long targets = Math.Min(noise + RoundHalfEven(noise / meanNoiseSpanLength) + 1, int.MaxValue / 2);

        // T5's "minor hack": with density 0.5, keep the targets no longer than the inputs.
        if (noiseDensity == 0.5 && targets > inputLength)
        {
            tokens--;
            targets--;
        }

        return new SpanCorruptionLengths(inputLength, (int)tokens, (int)targets, noiseDensity, meanNoiseSpanLength);
    }

    /// <summary>
    /// Noise tokens and spans of one row as nanoT5's random_spans_noise_mask counts them: round(L * density)
    /// clamped to [1, L-1], and max(1, round(noise / mean span length)) spans.
    /// </summary>
    public static (int NoiseTokens, int NoiseSpans) NoiseCounts(int length, double noiseDensity, double meanNoiseSpanLength)
    {
        int noise = (int)Math.Min(Math.Max(RoundHalfEven(length * noiseDensity), 1), length - 1);
        return (noise, (int)Math.Max(1, RoundHalfEven(noise / meanNoiseSpanLength)));
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> when rows would not come out at exactly the requested lengths,
    /// or need more than <paramref name="sentinels"/> sentinels: the data pipeline's guard.
    /// </summary>
    public void ThrowIfUnusable(int sentinels)
    {
        if (!RowsHaveRequestedLengths)
        {
            throw new ArgumentException(
                $"span corruption of {TokensLength}-token rows gives {RowInputLength} input and {RowTargetLength} target tokens, " +
                $"not the {InputLength}/{TargetLength} that T5's length arithmetic promises for input length {InputLength}; choose another input length, " +
                "a higher noise density or a longer mean span length");
        }

        if (NoiseSpans > sentinels)
        {
            throw new ArgumentException($"{NoiseSpans} noise spans per row need more than the tokenizer's {sentinels} sentinels; use a shorter input length or a longer mean span length");
        }
    }

    // Inputs hold the non-noise tokens, one sentinel per noise span and eos (the helper does not clamp).
    private static long HelperInputLength(long tokens, double noiseDensity, double meanNoiseSpanLength)
    {
        long noise = RoundHalfEven(tokens * noiseDensity);
        return tokens - noise + RoundHalfEven(noise / meanNoiseSpanLength) + 1;
    }

    // Python's round(): halves go to the even neighbour.
    private static long RoundHalfEven(double x) => (long)Math.Round(x, MidpointRounding.ToEven);
}
