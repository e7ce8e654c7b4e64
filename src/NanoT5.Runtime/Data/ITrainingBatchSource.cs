// What the training loop pulls batches from; pretraining and fine-tuning data both provide one.
namespace NanoT5.Data;

/// <summary>An endless (or epoch-bounded) stream of CPU micro-batches with a resumable position.</summary>
public interface ITrainingBatchSource : IDisposable
{
    /// <summary>The next micro-batch (CPU tensors; the loop moves them to the device), or null when a finite source is exhausted.</summary>
    TrainingBatch? Next();

    /// <summary>
    /// The position after the last batch returned, as bytes stored in each checkpoint; the source's
    /// factory restores it so the next batch is the one an uninterrupted run would get.
    /// </summary>
    byte[] SaveState();

    /// <summary>Completed passes over a finite source (0 for streams).</summary>
    int Epoch { get; }
}
