using NanoT5.Config;

namespace NanoT5.Tests.Data;

public sealed class SpanCorruptionLengthsTests
{
    // Expected values computed with nanoT5's compute_input_and_target_lengths (Python) for each config.
    [Theory]
    [InlineData(512, 0.15, 3.0, 568, 114)]
    [InlineData(128, 0.15, 3.0, 141, 29)]
    [InlineData(256, 0.15, 3.0, 284, 58)]
    [InlineData(1024, 0.15, 3.0, 1137, 229)]
    [InlineData(512, 0.3, 3.0, 639, 257)]
    [InlineData(512, 0.15, 8.0, 588, 100)]
    [InlineData(512, 0.5, 3.0, 766, 512)]
    [InlineData(64, 0.15, 3.0, 70, 14)]
    [InlineData(114, 0.15, 3.0, 126, 26)]
    public void Compute_MatchesT5sRandomSpansHelper(int inputLength, double density, double meanSpan, int tokensLength, int targetLength)
    {
        SpanCorruptionLengths lengths = SpanCorruptionLengths.Compute(inputLength, density, meanSpan);

        Assert.Equal((tokensLength, targetLength), (lengths.TokensLength, lengths.TargetLength));
        Assert.True(lengths.RowsHaveRequestedLengths);
    }

    [Theory]
    [InlineData(0.05, 3.0)]
    [InlineData(0.15, 3.0)]
    [InlineData(0.15, 1.0)]
    [InlineData(0.3, 8.0)]
    [InlineData(0.5, 3.0)]
    [InlineData(0.8, 2.5)]
    public void Compute_ByBisection_FindsTheLengthT5sCountingLoopFinds(double density, double meanSpan)
    {
        for (int inputLength = 2; inputLength <= 3000; inputLength++)
        {
            Assert.Equal(CountingLoopTokensLength(inputLength, density, meanSpan), SpanCorruptionLengths.Compute(inputLength, density, meanSpan).TokensLength);
        }
    }

    [Fact]
    public void Compute_AtTheLargestInteger_AnswersWithRowsThatCannotBeMade()
    {
        SpanCorruptionLengths lengths = SpanCorruptionLengths.Compute(int.MaxValue, 0.15, 3.0);

        Assert.False(lengths.RowsHaveRequestedLengths && lengths.FitsSentinels);
    }

    [Fact]
    public void Compute_WhenMaskingWouldNotGiveThePromisedLengths_ThrowsNamingTheSettings()
    {
        // 8 tokens at 0.15: the helper counts 0 spans, the mask clamps to 1 span, so inputs would be 9 long.
        var e = Assert.Throws<ArgumentException>(() => SpanCorruptionLengths.Compute(8, 0.15, 3.0).ThrowIfUnusable(SpanCorruptionLengths.MaxSentinels));

        Assert.Contains("gives 9 input and 3 target tokens", e.Message, StringComparison.Ordinal);
        Assert.Contains("input length 8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_WithMoreNoiseSpansThanNonNoiseTokens_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => SpanCorruptionLengths.Compute(64, 0.9, 1.0).ThrowIfUnusable(SpanCorruptionLengths.MaxSentinels));

        Assert.Contains("choose another input length", e.Message, StringComparison.Ordinal);
    }

    // T5's random_spans_helper as nanoT5 runs it: count up while one more token still fits (except the 0.5 hack).
    private static int CountingLoopTokensLength(int inputLength, double density, double meanSpan)
    {
        static int Round(double x) => (int)Math.Round(x, MidpointRounding.ToEven);
        int Helper(int tokens)
        {
            int noise = Round(tokens * density);
            return tokens - noise + Round(noise / meanSpan) + 1;
        }

        int length = inputLength;
        while (Helper(length + 1) <= inputLength)
        {
            length++;
        }

        int targets = Round(length * density) + Round(Round(length * density) / meanSpan) + 1;
        return density == 0.5 && targets > inputLength ? length - 1 : length;
    }
}
