using NanoT5.Data.SpanCorruption;

namespace NanoT5.Tests.Data;

public sealed class SpanCorruptorTests
{
    private const int TokenizerCount = 32_100;

    [Fact]
    public void Corrupt_ProducesExactLengthsIncreasingSentinelsAndEos_AndInputsPlusTargetsRebuildTheRow()
    {
        var corruptor = new SpanCorruptor(512, 0.15, 3.0, TokenizerCount, eosId: 1);
        int[] row = Enumerable.Range(0, 568).Select(i => 3 + (i * 7919 % 30_000)).ToArray();
        var inputs = new long[512];
        var targets = new long[114];

        for (int r = 0; r < 200; r++)
        {
            var random = new CounterRandom(2137, CounterRandom.MaskPurpose, r);
            corruptor.Corrupt(row, ref random, inputs, targets);

            Assert.Equal(1, inputs[^1]);
            Assert.Equal(1, targets[^1]);
            long[] inputSentinels = inputs.Where(IsSentinel).ToArray();
            long[] targetSentinels = targets.Where(IsSentinel).ToArray();
            Assert.Equal(28, inputSentinels.Length);
            Assert.Equal(Enumerable.Range(0, 28).Select(i => (long)(TokenizerCount - 1 - i)), inputSentinels);
            Assert.Equal(inputSentinels, targetSentinels);
            Assert.Equal(TokenizerCount - 1, targets[0]);
            Assert.Equal(row, Rebuild(inputs, targets));
        }
    }

    [Fact]
    public void Corrupt_OverManyRows_NoiseDensityAndMeanSpanLengthMatchTheSettings()
    {
        // density 0.15 on 568 tokens = 85 noise tokens in 28 spans per row, whatever the randomness;
        // the span lengths themselves are random: check their distribution's mean and spread.
        var corruptor = new SpanCorruptor(512, 0.15, 3.0, TokenizerCount, eosId: 1);
        var spanLengths = new List<int>();
        var firstNonNoiseSpans = new List<double>();
        for (int r = 0; r < 2000; r++)
        {
            var random = new CounterRandom(7, CounterRandom.MaskPurpose, r);
            (int[] nonNoise, int[] noise) = corruptor.SpanLengths(ref random);
            Assert.All(noise, n => Assert.True(n >= 1));
            Assert.All(nonNoise, n => Assert.True(n >= 1));
            Assert.Equal(85, noise.Sum());
            Assert.Equal(568 - 85, nonNoise.Sum());
            spanLengths.AddRange(noise);
            firstNonNoiseSpans.Add(nonNoise[0]);
        }

        double density = spanLengths.Sum() / (568.0 * 2000);
        Assert.InRange(density, 0.1495, 0.1505);
        Assert.InRange(spanLengths.Average(), 2.95, 3.05);

        // Under a uniform random segmentation of 85 items into 28 parts a part has length 1 with probability
        // C(83,26)/C(84,27) = 27/84; 56,000 parts put the observed share within ±0.01 of it (≈ 5 sigma).
        double shareOfOnes = spanLengths.Count(n => n == 1) / (double)spanLengths.Count;
        Assert.InRange(shareOfOnes, 27.0 / 84 - 0.01, 27.0 / 84 + 0.01);

        // The first non-noise span is as likely long as any other: mean 483/28 (standard error ≈ 0.37 over 2,000 rows).
        Assert.InRange(firstNonNoiseSpans.Average(), 483.0 / 28 - 1.5, 483.0 / 28 + 1.5);
    }

    [Fact]
    public void Corrupt_SameCounter_SameMask_DifferentCounter_DifferentMask()
    {
        var corruptor = new SpanCorruptor(128, 0.15, 3.0, TokenizerCount, eosId: 1);
        int[] row = Enumerable.Range(3, 141).ToArray();
        long[] Run(long counter)
        {
            var inputs = new long[128];
            var targets = new long[29];
            var random = new CounterRandom(1, CounterRandom.MaskPurpose, counter);
            corruptor.Corrupt(row, ref random, inputs, targets);
            return inputs;
        }

        Assert.Equal(Run(5), Run(5));
        Assert.NotEqual(Run(5), Run(6));
    }

    [Fact]
    public void Corrupt_RowOfTheWrongLength_Throws()
    {
        var corruptor = new SpanCorruptor(512, 0.15, 3.0, TokenizerCount, eosId: 1);
        var random = new CounterRandom(1, CounterRandom.MaskPurpose, 0);

        var e = Assert.Throws<ArgumentException>(() => corruptor.Corrupt(new int[512], ref random, new long[512], new long[114]));

        Assert.Contains("rows of 568", e.Message, StringComparison.Ordinal);
    }

    private static bool IsSentinel(long id) => id >= TokenizerCount - 100 && id < TokenizerCount;

    private static int[] Rebuild(long[] inputs, long[] targets)
    {
        // Each input sentinel stands for the target tokens that follow the same sentinel in the targets.
        var noiseBySentinel = new Dictionary<long, List<long>>();
        List<long>? current = null;
        foreach (long id in targets[..^1])
        {
            if (IsSentinel(id))
            {
                current = noiseBySentinel[id] = [];
            }
            else
            {
                current!.Add(id);
            }
        }

        var row = new List<int>();
        foreach (long id in inputs[..^1])
        {
            row.AddRange(IsSentinel(id) ? noiseBySentinel[id].Select(t => (int)t) : [(int)id]);
        }

        return row.ToArray();
    }
}
