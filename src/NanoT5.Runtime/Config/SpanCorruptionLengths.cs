// Ports T5's random_spans_helper arithmetic (nanoT5's compute_input_and_target_lengths): the pre-masking
// row length and the target length for which span corruption yields exactly `inputLength` encoder tokens.
// One source, compiled twice: into the runtime and into the SDK's build tasks (Sdk/NanoT5.Sdk.Tasks), so a
// .t5proj is rejected at build time by the same arithmetic the data pipeline runs (SettingFindings, the settings rule
// of span corruption, lives here with it). Keep it netstandard2.0.
using System.Globalization;
using NanoT5.Config.Settings;

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

    /// <summary>
    /// The settings rule of span corruption (SettingRules runs it; <paramref name="name"/> names a setting): T5's length
    /// arithmetic must give rows of exactly the input length, with a sentinel per span.
    /// </summary>
    public static IEnumerable<SettingFinding> SettingFindings(ISettingValues s, Func<Setting, string> name)
    {
        if (s.Mode is not ("pretrain" or "evaluate") || s.UsesFinetuneData ||
            s.WholeNumber(SettingTable.InputLength) is not int length || s.Number(SettingTable.NoiseDensity) is not double density ||
            s.Number(SettingTable.MeanNoiseSpanLength) is not double span ||
            !SettingTable.InputLength.InRange(length) || !SettingTable.NoiseDensity.InRange(density) || !SettingTable.MeanNoiseSpanLength.InRange(span))
        {
            yield break;
        }

        var lengths = SpanCorruptionLengths.Compute(length, density, span);
        string setting = $"{name(SettingTable.InputLength)} {length} with {name(SettingTable.NoiseDensity)} {Format(density)} and {name(SettingTable.MeanNoiseSpanLength)} {Format(span)}";
        // Too many spans is checked first: no length near a far too long one fixes it (2^31-1 would search for minutes).
        if (!lengths.RowsHaveRequestedLengths && lengths.FitsSentinels)
        {
            int? near = Nearest(length, candidate => SpanCorruptionLengths.Compute(candidate, density, span) is { RowsHaveRequestedLengths: true, FitsSentinels: true });
            string hint = near is int n ? $"e.g. {name(SettingTable.InputLength)} {n}" : $"e.g. a {name(SettingTable.MeanNoiseSpanLength)} above 1";
            yield return new SettingFinding(
                "NT2004",
                $"{setting}: span corruption cannot make rows of exactly {length} tokens (T5's arithmetic gives {lengths.RowInputLength} input and {lengths.RowTargetLength} target tokens from {lengths.TokensLength}); choose another length ({hint}).",
                [SettingTable.InputLength, SettingTable.NoiseDensity, SettingTable.MeanNoiseSpanLength]);
        }
        else if (!lengths.FitsSentinels)
        {
            // No length above the one whose noise fills every sentinel fits: start the search below it.
            int start = (int)Math.Min(length, Math.Ceiling(((SpanCorruptionLengths.MaxSentinels + 1) * span) / density) + 2);
            int? below = Nearest(start, candidate => candidate < length && SpanCorruptionLengths.Compute(candidate, density, span) is { RowsHaveRequestedLengths: true, FitsSentinels: true });
            string hint = below is int b ? $"{name(SettingTable.InputLength)} {b} or less" : $"a longer {name(SettingTable.MeanNoiseSpanLength)}";
            yield return new SettingFinding(
                "NT2011",
                $"{setting}: {lengths.NoiseSpans} noise spans per row need more than the tokenizer's {SpanCorruptionLengths.MaxSentinels} sentinels; use {hint}, or a longer {name(SettingTable.MeanNoiseSpanLength)}.",
                [SettingTable.InputLength, SettingTable.MeanNoiseSpanLength]);
        }
    }

    // The closest input length (searching outwards, lower first, at most MaxSearch away) that passes the check.
    private static int? Nearest(int length, Func<int, bool> ok)
    {
        const int MaxSearch = 1 << 16;
        for (int delta = 1; delta <= Math.Min(length, MaxSearch); delta++)
        {
            if (length - delta >= 8 && ok(length - delta))
            {
                return length - delta;
            }

            if (delta <= 64 && length <= int.MaxValue - delta && ok(length + delta))
            {
                return length + delta;
            }
        }

        return null;
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    // Inputs hold the non-noise tokens, one sentinel per noise span and eos (the helper does not clamp).
    private static long HelperInputLength(long tokens, double noiseDensity, double meanNoiseSpanLength)
    {
        long noise = RoundHalfEven(tokens * noiseDensity);
        return tokens - noise + RoundHalfEven(noise / meanNoiseSpanLength) + 1;
    }

    // Python's round(): halves go to the even neighbour.
    private static long RoundHalfEven(double x) => (long)Math.Round(x, MidpointRounding.ToEven);
}
