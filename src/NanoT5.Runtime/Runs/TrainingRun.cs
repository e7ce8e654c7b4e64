// The steps every training mode shares once its parts and data exist (nanoT5's main.py after get_dataloaders):
// the ranks agree, the resume state is restored, the run is announced, the ranks join, the tracker starts, the loop
// runs, and the run concludes (export, tracker end, exit code). Pretraining and fine-tuning differ only in the parts
// and data they hand in.
using NanoT5.Checkpoints;
using NanoT5.Config;
using NanoT5.Data;
using NanoT5.Data.Tokenizers;
using NanoT5.Distributed;
using NanoT5.IO;
using NanoT5.Tracking;
using NanoT5.Training;

namespace NanoT5.Runs;

/// <summary>One training run of the pretrain or finetune mode, from its resume point (or step 0) to its exit code.</summary>
public sealed class TrainingRun
{
    private readonly ExperimentConfig config;
    private readonly RunEnvironment environment;
    private readonly ITextTokenizer tokenizer;
    private readonly RunParts parts;
    private readonly TrainingRunParts loop;
    private readonly RunConsole console;
    private readonly IProcessGroup world;

    /// <summary>A run of <paramref name="loop"/> (built from <paramref name="parts"/>) that reports to <paramref name="console"/>.</summary>
    public TrainingRun(ExperimentConfig config, RunEnvironment environment, ITextTokenizer tokenizer, RunParts parts, TrainingRunParts loop, RunConsole console)
    {
        ArgumentNullException.ThrowIfNull(environment);
        this.config = config ?? throw new ArgumentNullException(nameof(config));
        this.environment = environment;
        this.tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        this.parts = parts ?? throw new ArgumentNullException(nameof(parts));
        this.loop = loop ?? throw new ArgumentNullException(nameof(loop));
        this.console = console ?? throw new ArgumentNullException(nameof(console));
        world = environment.World;
    }

    /// <summary>User hooks (from the experiment project) the loop calls in order.</summary>
    public IReadOnlyList<ITrainingCallback> Callbacks { get; init; } = [];

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Trains to the end; returns the process exit code (<see cref="ExitCodes"/> decides it). Cancelling
    /// <paramref name="stop"/> stops the run as SIGINT does: checkpoint, then <see cref="ExitCodes.Interrupted"/>.
    /// </summary>
    public int Run(CancellationToken stop)
    {
        ProgressReporter progress = Progress();
        Agree();
        TrainingState state = parts.Restore();
        Announce(progress);
        using DataParallel? parallel = JoinRanks(progress);
        ExperimentTracker? rootTracker = StartTracker();
        IExperimentTracker tracker = (IExperimentTracker?)rootTracker ?? new PeerTracker(config.RunDirectory, world.Rank);
        using var signals = new StopSignals(console.Error, ExitCodes.Killed);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(signals.Token, stop, rootTracker?.WriteFailedToken ?? CancellationToken.None);
        TrainingOutcome outcome;
        try
        {
            outcome = Loop(state, tracker, progress, parallel, stopping.Token);
        }
        catch (Exception e) when (ExitCodes.Of(e) is int code && ExitCodes.ReachedTogether(code))
        {
            // Too much bad data: every rank reaches it at the same step, so the run ends with its code, not a throw.
            progress.Line($"error: {e.Message}");
            TrackerEnd.Finish(tracker, RunStatus.Failed, progress);
            return code;
        }
        catch
        {
            TrackerEnd.Finish(tracker, RunStatus.Failed, progress);
            throw;
        }

        return Conclude(outcome, rootTracker?.WriteFailure, tracker, progress);
    }

    // Ranks other than 0 say who they are and then only warnings and errors: rank 0 speaks for the job, in plain
    // lines (Open MPI hands ranks a pseudo-terminal, which would otherwise look interactive).
    private ProgressReporter Progress() => world.Size == 1
        ? new ProgressReporter(console.Out, console.Interactive, loop.TotalSteps, Time)
        : new ProgressReporter(world.IsRoot ? console.Out : TextWriter.Null, interactive: false, loop.TotalSteps, Time);

    // Every rank runs the same config from the same checkpoint, or none starts.
    private void Agree() => StartupAgreement.Check(world, config, parts.Resume?.Step ?? -1);

    private void Announce(ProgressReporter progress)
    {
        string description = Describe();
        progress.Line(description);
        if (!world.IsRoot)
        {
            console.Out.WriteLine(description);
        }
    }

    // The gradient reduction of a data-parallel job (null for one process) and the rows each rank takes.
    private DataParallel? JoinRanks(ProgressReporter progress)
    {
        long rows = config.Optim.BatchSize / config.Optim.GradAcc;
        if (rows < world.Size)
        {
            throw new ArgumentException($"{world.Size} processes but {rows} rows per micro-batch (optim.batch_size {config.Optim.BatchSize} / optim.grad_acc {config.Optim.GradAcc}): every process needs at least one row; use fewer processes or a larger batch.");
        }

        DataParallel? parallel = ProcessGroups.CreateDataParallel(parts.Model.Device, console.Error);
        if (parallel is not null)
        {
            progress.Line($"data-parallel: {world.Size} ranks take {DataParallel.Share(rows, 0, world.Size).Count} (rank 0) of each micro-batch's {rows} rows; gradients summed with {parallel.Reduction}; rank 0 writes the run folder");
        }

        foreach (string note in loop.Notes.Append(loop.Schedule.Note).OfType<string>())
        {
            progress.Line(note);
        }

        return parallel;
    }

    // Rank 0 records the run; the other ranks' trackers (PeerTracker) accept every call and write nothing.
    private ExperimentTracker? StartTracker() => world.IsRoot ? ExperimentTracker.Start(config, new TrackerOptions { Time = Time }) : null;

    private TrainingOutcome Loop(TrainingState state, IExperimentTracker tracker, ProgressReporter progress, DataParallel? parallel, CancellationToken stop) =>
        new Trainer(new TrainerContext
        {
            Config = config,
            Parts = loop,
            Tracker = tracker,
            Checkpoints = parts.Checkpoints,
            Progress = progress,
            InitialState = state,
            AutocastDtype = environment.AutocastDtype,
            Callbacks = Callbacks,
            Time = Time,
            Parallel = parallel,
        }).Run(stop);

    // A run whose record could not be written stops (after its checkpoint) whatever the loop reached; a completed one
    // exports the model; every end finishes the tracker.
    private int Conclude(TrainingOutcome outcome, string? writeFailure, IExperimentTracker tracker, ProgressReporter progress)
    {
        string runDirectory = Path.GetFullPath(config.RunDirectory);
        if (writeFailure is not null)
        {
            progress.Line(
                $"error: {writeFailure}. Training stopped at step {outcome.State.Step} after checkpointing ({outcome.LastCheckpoint ?? "no checkpoint"}); " +
                "free space or make the file writable, then run the same command again to resume.");
            TrackerEnd.Finish(tracker, RunStatus.Failed, progress);
            return ExitCodes.Of(outcome.End, recorded: false);
        }

        switch (outcome.End)
        {
            case TrainingEnd.Completed:
                Export(outcome, tracker, progress);
                TrackerEnd.Finish(tracker, RunStatus.Finished, progress);
                progress.Line($"run folder: {runDirectory}");
                break;
            case TrainingEnd.Interrupted:
                TrackerEnd.Finish(tracker, RunStatus.Killed, progress);
                progress.Line($"interrupted at step {outcome.State.Step}; run the same command again to resume. run folder: {runDirectory}");
                break;
            default:
                TrackerEnd.Finish(tracker, RunStatus.Failed, progress);
                progress.Line($"run folder: {runDirectory}");
                break;
        }

        return ExitCodes.Of(outcome.End);
    }

    // The trained model in HuggingFace format with its tokenizer, written by rank 0.
    private void Export(TrainingOutcome outcome, IExperimentTracker tracker, ProgressReporter progress)
    {
        string exported = Path.Combine(Path.GetFullPath(config.RunDirectory), RunFolderLayout.ModelDirectory);
        if (world.IsRoot)
        {
            try
            {
                HfCheckpoint.Save(parts.Model, exported);
                HfTokenizerExport.Write(tokenizer, exported, Math.Max(config.Data.InputLength, config.Finetune.MaxSourceLength));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Training is done and checkpointed; only the export is missing. The summary must not stay
                // "running", and the message says how to get the export without training again.
                TrackerEnd.Finish(tracker, RunStatus.Failed, progress);
                throw new IOException(
                    $"Could not export the trained model to {exported}: {e.Message} Training finished and its last checkpoint " +
                    $"({outcome.LastCheckpoint ?? "none"}, step {outcome.State.Step}) is complete: free space (or make the folder writable) and " +
                    "run the same command again; it resumes at the last step and only evaluates and exports.", e);
            }
        }

        progress.Line($"exported HuggingFace model: {exported}");
    }

    private string Describe()
    {
        StoredCheckpoint? resume = parts.Resume;
        long parameters = parts.Model.parameters().Sum(p => p.NumberOfElements);
        string start = resume is null ? "from scratch" : $"resuming from step {resume.Step} ({resume.Directory})";
        if (resume is null && !string.IsNullOrWhiteSpace(config.Model.InitFrom))
        {
            start = $"from {config.Model.InitFrom}";
        }

        string what = FormattableString.Invariant($"{config.Mode.ToString().ToLowerInvariant()} '{config.Name}': {parameters / 1e6:F1}M parameters, vocab {parts.Model.Config.VocabSize} (tokenizer {tokenizer.Count})");
        string epochs = config.Optim.Epochs > 0 ? FormattableString.Invariant($" ({config.Optim.Epochs} epochs)") : string.Empty;
        string optim = FormattableString.Invariant(
            $"{config.Optim.Name.ToString().ToLowerInvariant()} {config.Optim.Schedule.ToString().ToLowerInvariant()} lr {config.Optim.BaseLr}, batch {config.Optim.BatchSize} x grad_acc {config.Optim.GradAcc}, {loop.TotalSteps} steps{epochs}");
        return $"{what}, {optim}, {environment.Describe(config)}, {start}";
    }
}
