// The pretraining pipeline seen through the training loop's batch-source interface.
using static TorchSharp.torch;

namespace NanoT5.Data.Pipeline;

/// <summary>Adapts <see cref="PretrainingPipeline"/> to <see cref="ITrainingBatchSource"/>.</summary>
public sealed class PretrainingSource(PretrainingPipeline pipeline) : ITrainingBatchSource
{
    /// <inheritdoc />
    public int Epoch => 0;

    /// <inheritdoc />
    public TrainingBatch? Next() => ToTrainingBatch(pipeline.Next());

    /// <inheritdoc />
    public byte[] SaveState() => pipeline.State.ToBytes();

    /// <summary>Span-corrupted rows are never padded: the attention mask is all ones.</summary>
    public static TrainingBatch ToTrainingBatch(PretrainingBatch batch)
    {
        Tensor mask = ones_like(batch.InputIds).DetachFromDisposeScope();
        return new TrainingBatch(batch.InputIds, mask, batch.Labels);
    }

    /// <inheritdoc />
    public void Dispose() => pipeline.Dispose();
}
