// What the training loop is handed: the parts a mode built (model, optimizer, schedule, data, evaluation), where
// results go (tracker, checkpoints, progress), where the run starts and the other ranks of a data-parallel job.
using NanoT5.Checkpoints;
using NanoT5.Config;
using NanoT5.Distributed;
using NanoT5.Tracking;
using static TorchSharp.torch;

namespace NanoT5.Training;

/// <summary>Everything <see cref="Trainer"/> works with; built by the run that wires a mode together.</summary>
public sealed record TrainerContext
{
    public required ExperimentConfig Config { get; init; }

    /// <summary>Model, optimizer, schedule, step count, training source and validation batches of the mode.</summary>
    public required TrainingRunParts Parts { get; init; }

    public required IExperimentTracker Tracker { get; init; }

    public required TrainingCheckpointStore Checkpoints { get; init; }

    public required ProgressReporter Progress { get; init; }

    /// <summary>Where the run starts: a fresh state, or the one its resume checkpoint carried.</summary>
    public TrainingState InitialState { get; init; } = new();

    public ScalarType? AutocastDtype { get; init; }

    /// <summary>User hooks (from the experiment project) called in order.</summary>
    public IReadOnlyList<ITrainingCallback> Callbacks { get; init; } = [];

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The other ranks of a data-parallel job (null: this process alone); rank 0 alone writes checkpoints.</summary>
    public DataParallel? Parallel { get; init; }
}
