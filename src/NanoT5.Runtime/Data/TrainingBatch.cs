// One micro-batch as the model consumes it.
using static TorchSharp.torch;

namespace NanoT5.Data;

/// <summary>
/// input_ids (B, S) and labels (B, T), int64; attention_mask (B, S) with 1 for tokens and 0 for padding
/// (pretraining rows are never padded, so it is all ones there).
/// </summary>
public sealed record TrainingBatch(Tensor InputIds, Tensor AttentionMask, Tensor Labels) : IDisposable
{
    /// <summary>Rows.</summary>
    public long Rows => InputIds.shape[0];

    /// <summary>Encoder plus decoder positions, for tokens/s.</summary>
    public long Tokens => (InputIds.shape[0] * InputIds.shape[1]) + (Labels.shape[0] * Labels.shape[1]);

    /// <summary>The same batch on <paramref name="device"/> (this batch when already there).</summary>
    public TrainingBatch To(Device device) =>
        InputIds.device == device ? this : new TrainingBatch(InputIds.to(device), AttentionMask.to(device), Labels.to(device));

    /// <inheritdoc />
    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
        Labels.Dispose();
    }
}
