// What a training forward pass returns.
using static TorchSharp.torch;

namespace NanoT5.Model;

/// <summary>Loss (scalar, fp32) and logits (B, T, V) of a forward pass with labels.</summary>
public sealed record Seq2SeqOutput(Tensor Loss, Tensor Logits) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Loss.Dispose();
        Logits.Dispose();
    }
}
