// Ports HuggingFace T5Attention (as nanoT5's MyT5 uses it): no biases, no 1/sqrt(d_kv) score scaling
// (folded into the init), fp32 softmax, learned relative position bias held by layer 0 only. The Sdpa kind
// computes the same function with one fused scaled_dot_product_attention call.
using TorchSharp;
using TorchSharp.Utils;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoT5.Model;

/// <summary>Multi-head attention of T5; keys: <c>q</c>, <c>k</c>, <c>v</c>, <c>o</c>, optional <c>relative_attention_bias</c>.</summary>
public sealed class T5Attention : nn.Module
{
    [ComponentName(Name = "q")] private readonly Linear query;
    [ComponentName(Name = "k")] private readonly Linear key;
    [ComponentName(Name = "v")] private readonly Linear value;
    [ComponentName(Name = "o")] private readonly Linear output;
    [ComponentName(Name = "relative_attention_bias")] private readonly Embedding? relativeAttentionBias;

    private readonly int numHeads;
    private readonly int dKv;
    private readonly double dropout;
    private readonly bool isDecoder;
    private readonly int numBuckets;
    private readonly int maxDistance;
    private readonly AttentionKind kind;

    public T5Attention(T5Config config, bool isDecoder, bool hasRelativeAttentionBias)
        : base(nameof(T5Attention))
    {
        numHeads = config.NumHeads;
        dKv = config.DKv;
        dropout = config.DropoutRate;
        this.isDecoder = isDecoder;
        numBuckets = config.RelativeAttentionNumBuckets;
        maxDistance = config.RelativeAttentionMaxDistance;
        kind = config.Attention;

        query = nn.Linear(config.DModel, config.InnerDim, hasBias: false);
        key = nn.Linear(config.DModel, config.InnerDim, hasBias: false);
        value = nn.Linear(config.DModel, config.InnerDim, hasBias: false);
        output = nn.Linear(config.InnerDim, config.DModel, hasBias: false);
        if (hasRelativeAttentionBias)
        {
            relativeAttentionBias = nn.Embedding(config.RelativeAttentionNumBuckets, config.NumHeads);
        }

        RegisterComponents();
    }

    internal Linear Q => query;

    internal Linear K => key;

    internal Linear V => value;

    internal Linear O => output;

    internal Embedding? RelativeAttentionBias => relativeAttentionBias;

    /// <summary>Learned position bias for queries [offset, offset+Tq) over keys [0, Tk): (1, H, Tq, Tk).</summary>
    public Tensor ComputeBias(long queryLength, long keyLength, long queryOffset = 0)
    {
        if (relativeAttentionBias is null)
        {
            throw new InvalidOperationException("Only the first layer of a stack holds the relative attention bias.");
        }

        using var scope = NewDisposeScope();
        Tensor buckets = RelativePositionBuckets.Compute(
            queryLength, keyLength, bidirectional: !isDecoder, numBuckets, maxDistance, relativeAttentionBias.weight!.device, queryOffset);
        Tensor values = relativeAttentionBias.call(buckets); // (Tq, Tk, H)
        return values.permute(2, 0, 1).unsqueeze(0).MoveToOuterDisposeScope(); // (1, H, Tq, Tk)
    }

    /// <summary>
    /// Self-attention when <paramref name="keyValueStates"/> is null, cross-attention otherwise.
    /// <paramref name="bias"/> already holds position bias plus mask, broadcastable to (B, H, Tq, Tk).
    /// <paramref name="cache"/>, when given, carries keys and values across incremental decoding steps.
    /// </summary>
    public Tensor forward(Tensor hidden, Tensor? keyValueStates, Tensor bias, AttentionCache? cache = null)
    {
        using var scope = NewDisposeScope();
        long batch = hidden.shape[0];
        Tensor q, k, v;
        if (keyValueStates is null)
        {
            // One matmul for q, k and v: (B, T, 3, H, dk) -> 3 x (B, H, T, dk).
            Tensor qkv = Autocast.Linear(hidden, cat([query.weight, key.weight, value.weight], 0));
            Tensor[] parts = qkv.view(batch, -1, 3, numHeads, dKv).permute(2, 0, 3, 1, 4).unbind(0);
            (q, k, v) = (parts[0], parts[1], parts[2]);
            if (cache is not null)
            {
                (k, v) = cache.Append(k, v);
            }
        }
        else
        {
            q = Heads(Autocast.Linear(hidden, query.weight), batch);
            if (cache is not null && cache.Key is not null)
            {
                (k, v) = (cache.Key, cache.Value!);
            }
            else
            {
                Tensor kv = Autocast.Linear(keyValueStates, cat([key.weight, value.weight], 0));
                Tensor[] parts = kv.view(batch, -1, 2, numHeads, dKv).permute(2, 0, 3, 1, 4).unbind(0);
                (k, v) = (parts[0], parts[1]);
                cache?.Set(k, v);
            }
        }

        Tensor attended = kind == AttentionKind.Sdpa ? Fused(q, k, v, bias) : Eager(q, k, v, bias); // (B, H, Tq, dk)
        attended = attended.transpose(1, 2).reshape(batch, -1, numHeads * dKv); // (B, Tq, H*dk)
        return Autocast.Linear(attended, output.weight).MoveToOuterDisposeScope(); // (B, Tq, D)
    }

    private Tensor Eager(Tensor q, Tensor k, Tensor v, Tensor bias)
    {
        Tensor scores = Autocast.Matmul(q, k.transpose(-1, -2)); // (B, H, Tq, Tk)
        // The fp32 bias promotes bf16 scores to fp32: the softmax runs in fp32 either way.
        scores = scores.dtype == bias.dtype ? scores.add_(bias) : scores + bias;
        Tensor weights = scores.dtype == ScalarType.Float32
            ? scores.softmax(-1)
            : scores.softmax(-1, ScalarType.Float32).to(scores.dtype);
        if (dropout > 0 && training)
        {
            weights = nn.functional.dropout(weights, dropout, training);
        }

        return Autocast.Matmul(weights, v); // (B, H, Tq, dk)
    }

    // softmax(q k^T + bias) v in one kernel. TorchSharp 0.107's scaled_dot_product_attention has no `scale`
    // argument and always divides the scores by sqrt(d_kv); T5 does not scale, so q is multiplied by sqrt(d_kv)
    // first (a power of two for T5's d_kv = 64, so q * 8 / 8 is exact; other widths round once more).
    // The mask must have q's dtype: T5Stack casts the shared bias once (FusedMask), a per-layer cast is the fallback.
    private Tensor Fused(Tensor q, Tensor k, Tensor v, Tensor bias)
    {
        if (q.device_type == DeviceType.CUDA)
        {
            FusedAttentionBackend.EnsureBiasGradients();
        }

        (q, k, v) = (Autocast.Operand(q), Autocast.Operand(k), Autocast.Operand(v));
        return nn.functional.scaled_dot_product_attention(q * Math.Sqrt(dKv), k, v, FusedMask(bias, q.dtype), training ? dropout : 0); // (B, H, Tq, dk)
    }

    /// <summary>
    /// A position bias + mask in <paramref name="dtype"/> for the fused kernel. fp32's most negative value, cast to
    /// bf16, would overflow to -inf (a fully masked row would then give NaN where eager gives finite weights), so
    /// it is clamped to the target dtype's lowest value first.
    /// </summary>
    internal static Tensor FusedMask(Tensor bias, ScalarType dtype) =>
        bias.dtype == dtype ? bias
        : dtype == ScalarType.BFloat16 ? bias.clamp_min(-3.3895313892515355e38).to(dtype)
        : dtype == ScalarType.Float16 ? bias.clamp_min(-65504.0).to(dtype)
        : bias.to(dtype);

    private Tensor Heads(Tensor projected, long batch) =>
        projected.view(batch, -1, numHeads, dKv).transpose(1, 2); // (B, H, T, dk)
}
