// Keys and values kept across greedy decoding steps, so each step only projects the new token.
using static TorchSharp.torch;

namespace NanoT5.Model;

/// <summary>Per-layer key/value cache of one attention module during incremental decoding.</summary>
public sealed class AttentionCache : IDisposable
{
    /// <summary>Cached keys: (B, H, T, dk).</summary>
    public Tensor? Key { get; private set; }

    /// <summary>Cached values: (B, H, T, dk).</summary>
    public Tensor? Value { get; private set; }

    /// <summary>Number of cached positions.</summary>
    public long Length => Key?.shape[2] ?? 0;

    /// <summary>Appends this step's keys and values; returns all keys and values so far.</summary>
    public (Tensor Key, Tensor Value) Append(Tensor key, Tensor value)
    {
        Tensor k = Key is null ? key.detach() : cat([Key, key], 2);
        Tensor v = Value is null ? value.detach() : cat([Value, value], 2);
        Set(k, v);
        return (k, v);
    }

    /// <summary>Replaces the cache (cross-attention fills it once from the encoder output).</summary>
    public void Set(Tensor key, Tensor value)
    {
        Tensor? oldKey = Key, oldValue = Value;
        Key = key.DetachFromDisposeScope();
        Value = value.DetachFromDisposeScope();
        if (!ReferenceEquals(oldKey, Key))
        {
            oldKey?.Dispose();
        }

        if (!ReferenceEquals(oldValue, Value))
        {
            oldValue?.Dispose();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Key?.Dispose();
        Value?.Dispose();
        Key = null;
        Value = null;
    }
}
