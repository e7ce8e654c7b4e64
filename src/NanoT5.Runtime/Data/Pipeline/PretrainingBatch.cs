// What the training loop receives: span-corrupted rows as int64 CPU tensors.
using TorchSharp;
using static TorchSharp.torch;

namespace NanoT5.Data.Pipeline;

/// <summary>One micro-batch: input_ids (B, input_length) and labels (B, target_length), int64 on the CPU.</summary>
public sealed class PretrainingBatch : IDisposable
{
    internal PretrainingBatch(long[] inputIds, long[] labels, int rows, int inputLength, int targetLength)
    {
        InputIds = torch.tensor(inputIds, [rows, inputLength], ScalarType.Int64);   // (B, input_length)
        Labels = torch.tensor(labels, [rows, targetLength], ScalarType.Int64);      // (B, target_length)
    }

    /// <summary>Encoder input ids (B, input_length): non-noise tokens, one sentinel per noise span, eos.</summary>
    public Tensor InputIds { get; }

    /// <summary>Decoder labels (B, target_length): one sentinel per non-noise span followed by the noise tokens, eos.</summary>
    public Tensor Labels { get; }

    public void Dispose()
    {
        InputIds.Dispose();
        Labels.Dispose();
    }
}
