// Ports T5's random_spans_helper arithmetic (t5/data/preprocessors.py, as nanoT5's
// compute_input_and_target_lengths): the pre-masking row length that span corruption turns into
// exactly the requested encoder input length, and the decoder target length it produces.
namespace NanoT5.Data.SpanCorruption;

/// <summary>Pre-masking row length and target length for span corruption (512 / 0.15 / 3 → 568 / 114).</summary>
/// <param name="TokensLength">Tokens per row before masking (nanoT5's before_mask_input_length).</param>
/// <param name="TargetLength">Decoder labels per row, eos included.</param>
public sealed record SpanCorruptionLengths(int TokensLength, int TargetLength)
{
    /// <summary>
    /// T5's arithmetic: the longest row whose masked inputs (non-noise tokens, one sentinel per noise span,
    /// eos) still fit in <paramref name="inputLength"/>. Throws <see cref="ArgumentException"/> when the
    /// masking of such a row would not come out at exactly these lengths (degenerate tiny settings).
    /// </summary>
    public static SpanCorruptionLengths Compute(int inputLength, double noiseDensity, double meanNoiseSpanLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputLength, 2);
        if (noiseDensity is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(noiseDensity), noiseDensity, "noise density must be in (0, 1)");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(meanNoiseSpanLength, 1.0);

        int tokensLength = inputLength;
        while (EncodedLengths(tokensLength + 1, noiseDensity, meanNoiseSpanLength).Inputs <= inputLength)
        {
            tokensLength++;
        }

        int targetLength = EncodedLengths(tokensLength, noiseDensity, meanNoiseSpanLength).Targets;

        // T5's "minor hack": with density 0.5 keep targets no longer than inputs (usually a round number).
        if (noiseDensity == 0.5 && targetLength > inputLength)
        {
            tokensLength--;
            targetLength--;
        }

        var lengths = new SpanCorruptionLengths(tokensLength, targetLength);
        (int noiseTokens, int noiseSpans) = NoiseCounts(tokensLength, noiseDensity, meanNoiseSpanLength);
        if (noiseSpans > tokensLength - noiseTokens)
        {
            throw new ArgumentException(
                $"{noiseSpans} noise spans need as many non-empty non-noise spans, but only {tokensLength - noiseTokens} non-noise tokens remain; " +
                "lower the noise density or raise the mean span length");
        }

        (int maskedInputs, int maskedTargets) = MaskedLengths(tokensLength, noiseDensity, meanNoiseSpanLength);
        if (maskedInputs != inputLength || maskedTargets != targetLength)
        {
            throw new ArgumentException(
                $"span corruption of {tokensLength}-token rows gives {maskedInputs} input and {maskedTargets} target tokens, " +
                $"not the {inputLength}/{targetLength} that T5's length arithmetic promises for input length {inputLength}, " +
                $"noise density {noiseDensity} and mean span length {meanNoiseSpanLength}; choose a longer input or a higher density");
        }

        return lengths;
    }

    /// <summary>Noise tokens and spans of one row, as nanoT5's random_spans_noise_mask counts them (with its clamps).</summary>
    public static (int NoiseTokens, int NoiseSpans) NoiseCounts(int length, double noiseDensity, double meanNoiseSpanLength)
    {
        int noiseTokens = Math.Clamp((int)Math.Round(length * noiseDensity, MidpointRounding.ToEven), 1, length - 1);
        int noiseSpans = Math.Max(1, (int)Math.Round(noiseTokens / meanNoiseSpanLength, MidpointRounding.ToEven));
        return (noiseTokens, noiseSpans);
    }

    // The helper's own count (no clamps), exactly as random_spans_helper writes it; Math.Round and Python's round both round half to even.
    private static (int Inputs, int Targets) EncodedLengths(int tokensLength, double noiseDensity, double meanNoiseSpanLength)
    {
        int noiseTokens = (int)Math.Round(tokensLength * noiseDensity, MidpointRounding.ToEven);
        int noiseSpans = (int)Math.Round(noiseTokens / meanNoiseSpanLength, MidpointRounding.ToEven);
        return (tokensLength - noiseTokens + noiseSpans + 1, noiseTokens + noiseSpans + 1);
    }

    private static (int Inputs, int Targets) MaskedLengths(int tokensLength, double noiseDensity, double meanNoiseSpanLength)
    {
        (int noiseTokens, int noiseSpans) = NoiseCounts(tokensLength, noiseDensity, meanNoiseSpanLength);
        return (tokensLength - noiseTokens + noiseSpans + 1, noiseTokens + noiseSpans + 1);
    }
}
