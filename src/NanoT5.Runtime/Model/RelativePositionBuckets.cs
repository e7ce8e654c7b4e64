// Ports T5Attention._relative_position_bucket (Mesh TensorFlow's bucketing of relative positions).
using static TorchSharp.torch;

namespace NanoT5.Model;

/// <summary>Maps relative positions (key - query) to the buckets of T5's learned position bias.</summary>
public static class RelativePositionBuckets
{
    /// <summary>
    /// Bucket of every (query, key) pair: (queryLength, keyLength), int64.
    /// Half the buckets are exact small distances, the rest log-spaced up to <paramref name="maxDistance"/>;
    /// bidirectional (encoder) splits them between directions, unidirectional (decoder) keeps only the past.
    /// </summary>
    public static Tensor Compute(long queryLength, long keyLength, bool bidirectional, int numBuckets, int maxDistance, Device device, long queryOffset = 0)
    {
        using var scope = NewDisposeScope();
        Tensor context = arange(queryOffset, queryOffset + queryLength, dtype: ScalarType.Int64, device: device).unsqueeze(1); // (Tq, 1)
        Tensor memory = arange(keyLength, dtype: ScalarType.Int64, device: device).unsqueeze(0); // (1, Tk)
        Tensor relative = memory - context; // (Tq, Tk)

        Tensor buckets = zeros_like(relative);
        if (bidirectional)
        {
            numBuckets /= 2;
            buckets = buckets + (relative > 0).to(ScalarType.Int64) * numBuckets;
            relative = relative.abs();
        }
        else
        {
            relative = -minimum(relative, zeros_like(relative));
        }

        int maxExact = numBuckets / 2;
        Tensor isSmall = relative < maxExact;
        // float32 log and truncation toward zero, exactly as the reference: boundary buckets depend on it.
        Tensor scaled = (relative.to(ScalarType.Float32) / maxExact).log()
            / (float)Math.Log(maxDistance / (double)maxExact)
            * (numBuckets - maxExact);
        Tensor ifLarge = maxExact + scaled.to(ScalarType.Int64);
        ifLarge = minimum(ifLarge, full_like(ifLarge, numBuckets - 1));
        buckets = buckets + where(isSmall, relative, ifLarge);
        return buckets.MoveToOuterDisposeScope();
    }
}
