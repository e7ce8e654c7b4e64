// The model evaluate and predict load (see TrainingRun.LoadTrainedModel).
using NanoT5.Model;

namespace NanoT5.Runs;

/// <summary>A model loaded for evaluate or predict: where its weights came from and the training step they are from (0 when not this run's).</summary>
public sealed record TrainedModel(T5ForConditionalGeneration Model, string Source, long Step) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
