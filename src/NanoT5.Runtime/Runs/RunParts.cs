// The parts of a training run that are built and restored together, in this one place: the resume point (found and
// checked before anything is built), the model, its optimizer, the learning-rate schedule, and on resume the state
// the checkpoint carries (weights, optimizer moments, random state, step, data position). Pretraining and
// fine-tuning build their data around these parts; TrainingRun restores and runs them.
using NanoT5.Checkpoints;
using NanoT5.Config;
using NanoT5.Data;
using NanoT5.Distributed;
using NanoT5.Model;
using NanoT5.Optim;
using NanoT5.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoT5.Runs;

/// <summary>Model, optimizer and resume point of one training run; disposing it frees the model and optimizer.</summary>
public sealed class RunParts : IDisposable
{
    private readonly ExperimentConfig config;

    private RunParts(ExperimentConfig config, TrainingCheckpointStore checkpoints, StoredCheckpoint? resume, T5ForConditionalGeneration model, IOptimizer optimizer)
    {
        this.config = config;
        Checkpoints = checkpoints;
        Resume = resume;
        Model = model;
        Optimizer = optimizer;
    }

    /// <summary>Where the run's checkpoints are written and read.</summary>
    public TrainingCheckpointStore Checkpoints { get; }

    /// <summary>The checkpoint the run continues from; null when it starts at step 0.</summary>
    public StoredCheckpoint? Resume { get; }

    public T5ForConditionalGeneration Model { get; }

    public IOptimizer Optimizer { get; }

    /// <summary>The data position the resume checkpoint saved (null from scratch): the mode's training source continues from it.</summary>
    public byte[]? DataState => Resume?.ReadDataState();

    /// <summary>
    /// Finds the resume point of <paramref name="config"/>'s run folder, then builds its model (model.init_from or a
    /// fresh initialisation) on the environment's device and the optimizer over its parameters.
    /// </summary>
    public static RunParts Build(ExperimentConfig config, ITextTokenizer tokenizer, RunEnvironment environment, TextWriter warnings)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);
        var checkpoints = new TrainingCheckpointStore(config.RunDirectory, config.Checkpoint.KeepLast);
        StoredCheckpoint? resume = FindResumePoint(config, checkpoints, environment.World, warnings);
        T5ForConditionalGeneration model = ModelFactory.Create(config, tokenizer, environment.Device);
        try
        {
            return new RunParts(config, checkpoints, resume, model, OptimizerFactory.Create(config.Optim, model.named_parameters()));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The checkpoint to continue from. With checkpoint.resume a run continues only with the settings and inputs it
    /// was started with (<see cref="RunIdentity"/>); without it the claim (<see cref="RunFolderClaim"/>, rank 0) has
    /// already deleted what the earlier run wrote, and this one starts at step 0. Rank 0 keeps the inputs' fingerprints.
    /// </summary>
    public static StoredCheckpoint? FindResumePoint(ExperimentConfig config, TrainingCheckpointStore checkpoints, IProcessGroup world, TextWriter warnings)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(warnings);
        StoredCheckpoint? latest = config.Checkpoint.Resume ? checkpoints.FindLatest(message => warnings.WriteLine($"warning: {message}")) : null;
        if (latest is not null)
        {
            RunIdentity.EnsureResumable(config, latest);
        }
        else if (config.Checkpoint.Resume)
        {
            RunIdentity.EnsureSameModel(config);
        }

        if (world.IsRoot)
        {
            RunIdentity.SaveInputs(config);
        }

        return latest;
    }

    /// <summary>Loads <paramref name="checkpoint"/>'s weights, optimizer state and torch random state; returns its run state.</summary>
    public static TrainingState RestoreCheckpoint(StoredCheckpoint checkpoint, T5ForConditionalGeneration model, IOptimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        TrainingCheckpointStore.Restore(checkpoint, model, optimizer);
        if (checkpoint.State.TorchRngState is string rng)
        {
            byte[] bytes = Convert.FromBase64String(rng);
            using Tensor state = torch.empty(bytes.Length, dtype: ScalarType.Byte);
            state.bytes = bytes;
            torch.set_rng_state(state);
        }

        return checkpoint.State;
    }

    /// <summary>What the loop runs: these parts, the schedule made for <paramref name="totalSteps"/>, and the mode's data.</summary>
    public TrainingRunParts ForLoop(long totalSteps, ITrainingBatchSource train, Func<IEnumerable<TrainingBatch>> validation) => new()
    {
        Model = Model,
        Optimizer = Optimizer,
        Schedule = OptimizerFactory.CreateSchedule(config.Optim, totalSteps),
        TotalSteps = totalSteps,
        Train = train,
        Validation = validation,
    };

    /// <summary>The state the run starts from: the resume checkpoint's, restored into the model and optimizer, or step 0.</summary>
    public TrainingState Restore() => Resume is null ? new TrainingState() : RestoreCheckpoint(Resume, Model, Optimizer);

    /// <inheritdoc />
    public void Dispose()
    {
        Optimizer.Dispose();
        Model.Dispose();
    }
}
