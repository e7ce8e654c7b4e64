// The caches one decoder block needs during incremental decoding.
namespace NanoT5.Model;

/// <summary>Self-attention and cross-attention caches of one decoder block.</summary>
public sealed class BlockCache : IDisposable
{
    /// <summary>Grows by one position per decoding step.</summary>
    public AttentionCache Self { get; } = new();

    /// <summary>Filled once from the encoder output.</summary>
    public AttentionCache Cross { get; } = new();

    /// <inheritdoc />
    public void Dispose()
    {
        Self.Dispose();
        Cross.Dispose();
    }
}
