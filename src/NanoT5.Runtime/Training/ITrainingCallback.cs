// The extension point of the training loop: experiment projects may add C# callbacks (early stopping,
// custom logging, sample generation) without touching the runtime.
using NanoT5.Checkpoints;

namespace NanoT5.Training;

/// <summary>Hooks called by <see cref="Trainer"/>; every method has an empty default.</summary>
public interface ITrainingCallback
{
    /// <summary>After every optimizer step (also skipped ones), with the state after it.</summary>
    void OnStep(TrainingState state, StepResult result)
    {
    }

    /// <summary>After every evaluation, with all its metrics.</summary>
    void OnEvaluation(long step, IReadOnlyDictionary<string, double> metrics)
    {
    }

    /// <summary>After every checkpoint.</summary>
    void OnCheckpoint(long step, string directory)
    {
    }
}
