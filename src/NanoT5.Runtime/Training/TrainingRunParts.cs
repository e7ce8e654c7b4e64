// What a training mode (pretrain, finetune) builds before the shared loop runs it (Runs/RunParts builds the model,
// optimizer and schedule; the mode adds its data).
using NanoT5.Data;
using NanoT5.Model;
using NanoT5.Optim;
using NanoT5.Optim.Schedules;

namespace NanoT5.Training;

/// <summary>What a mode builds before the loop: model, optimizer, schedule, step count, data and evaluation.</summary>
public sealed record TrainingRunParts
{
    public required T5ForConditionalGeneration Model { get; init; }

    public required IOptimizer Optimizer { get; init; }

    /// <summary>The learning rate of each step, made for <see cref="TotalSteps"/>.</summary>
    public required ILearningRateSchedule Schedule { get; init; }

    /// <summary>Optimizer steps of the whole run (the schedule is made for this many).</summary>
    public required long TotalSteps { get; init; }

    public required ITrainingBatchSource Train { get; init; }

    /// <summary>A fresh pass over the validation batches.</summary>
    public required Func<IEnumerable<TrainingBatch>> Validation { get; init; }

    /// <summary>Extra metrics at each evaluation (fine-tuning's RougeL); may be null.</summary>
    public Func<long, IReadOnlyDictionary<string, double>>? ExtraEvaluation { get; init; }

    /// <summary>Lines printed after the run's description (what the data is).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
