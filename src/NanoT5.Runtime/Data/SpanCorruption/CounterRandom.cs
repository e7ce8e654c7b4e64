// Counter-based seeded randomness: every random decision of the data pipeline is a pure function of
// (seed, purpose, counter), so resuming needs only the counters, never a generator's hidden state.
namespace NanoT5.Data.SpanCorruption;

/// <summary>SplitMix64 stream started from a hash of (seed, purpose, counter).</summary>
public struct CounterRandom
{
    private ulong state;

    public CounterRandom(long seed, ulong purpose, long counter)
    {
        state = Mix(Mix((ulong)seed ^ Mix(purpose)) ^ (ulong)counter);
    }

    /// <summary>Purpose tag of the noise masks of rows.</summary>
    public const ulong MaskPurpose = 0x6d61736b;

    /// <summary>Purpose tag of the shuffle buffer's picks.</summary>
    public const ulong ShufflePurpose = 0x73687566;

    /// <summary>Purpose tag of the order of shards in an epoch.</summary>
    public const ulong ShardOrderPurpose = 0x73686172;

    public ulong NextUInt64()
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>Uniform integer in [0, <paramref name="bound"/>) without modulo bias (Lemire's method).</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        ulong threshold = (0UL - (ulong)bound) % (ulong)bound;
        while (true)
        {
            ulong r = NextUInt64();
            UInt128 product = (UInt128)r * (ulong)bound;
            if ((ulong)product >= threshold)
            {
                return (int)(product >> 64);
            }
        }
    }

    /// <summary>Fisher–Yates shuffle of <paramref name="items"/>.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
