// The steps every training mode shares once its model and data exist (nanoT5's main.py after get_dataloaders):
// resume point, restored state, tracker, signals, the loop, then export and exit code. Pretraining and fine-tuning
// differ only in what they put into TrainingRunParts.
using NanoT5.Checkpoints;
using NanoT5.Config;
using NanoT5.Data;
using NanoT5.Data.Sources;
using NanoT5.Data.Tokenizers;
using NanoT5.Distributed;
using NanoT5.IO;
using NanoT5.Model;
using NanoT5.Optim;
using NanoT5.Tracking;
using NanoT5.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoT5.Runs;

/// <summary>The shared steps of the pretrain and finetune modes, and the model evaluate and predict load.</summary>
public static class TrainingRun
{
    /// <summary>
    /// Trains <paramref name="parts"/> from <paramref name="resume"/> (or step 0) to the end; returns the process exit code.
    /// Cancelling <paramref name="stop"/> stops the run as SIGINT does: checkpoint, then <see cref="ExitCodes.Interrupted"/>.
    /// </summary>
    public static int Train(
        ExperimentConfig config,
        RunEnvironment environment,
        ITextTokenizer tokenizer,
        TrainingCheckpointStore store,
        StoredCheckpoint? resume,
        TrainingRunParts parts,
        IReadOnlyList<ITrainingCallback>? callbacks,
        TimeProvider time,
        CancellationToken stop)
    {
        IProcessGroup world = environment.World;
        StartupAgreement.Check(world, config, resume?.Step ?? -1);
        var schedule = OptimizerFactory.CreateSchedule(config.Optim, parts.TotalSteps);
        // Ranks other than 0 say who they are and then only warnings and errors: rank 0 speaks for the job, in plain
        // lines (Open MPI hands ranks a pseudo-terminal, which would otherwise look interactive).
        var progress = world.Size == 1 ? ProgressReporter.ForConsole(parts.TotalSteps, time)
            : new ProgressReporter(world.IsRoot ? Console.Out : TextWriter.Null, interactive: false, parts.TotalSteps, time);
        TrainingState state = resume is null ? new TrainingState() : RestoreCheckpoint(resume, parts.Model, parts.Optimizer);
        string description = Describe(config, environment, parts, tokenizer, resume);
        progress.Line(description);
        if (!world.IsRoot)
        {
            Console.WriteLine(description);
        }

        long rows = config.Optim.BatchSize / config.Optim.GradAcc;
        if (rows < world.Size)
        {
            throw new ArgumentException($"{world.Size} processes but {rows} rows per micro-batch (optim.batch_size {config.Optim.BatchSize} / optim.grad_acc {config.Optim.GradAcc}): every process needs at least one row; use fewer processes or a larger batch.");
        }

        using DataParallel? parallel = ProcessGroups.CreateDataParallel(parts.Model.Device, Console.Error);
        if (parallel is not null)
        {
            progress.Line($"data-parallel: {world.Size} ranks take {DataParallel.Share(rows, 0, world.Size).Count} (rank 0) of each micro-batch's {rows} rows; gradients summed with {parallel.Reduction}; rank 0 writes the run folder");
        }

        foreach (string note in parts.Notes.Append(schedule.Note).OfType<string>())
        {
            progress.Line(note);
        }

        ExperimentTracker? rootTracker = world.IsRoot ? ExperimentTracker.Start(config, new TrackerOptions { Time = time }) : null;
        IExperimentTracker tracker = (IExperimentTracker?)rootTracker ?? new PeerTracker(config.RunDirectory, world.Rank);
        using var signals = new StopSignals(Console.Error, ExitCodes.Killed);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(signals.Token, stop, rootTracker?.WriteFailedToken ?? CancellationToken.None);
        TrainingOutcome outcome;
        try
        {
            outcome = new Trainer(new TrainerContext
            {
                Config = config,
                Parts = parts,
                Schedule = schedule,
                Tracker = tracker,
                Checkpoints = store,
                Progress = progress,
                InitialState = state,
                AutocastDtype = environment.AutocastDtype,
                Callbacks = callbacks ?? [],
                Time = time,
                Parallel = parallel,
            }).Run(stopping.Token);
        }
        catch (BadDataLimitException e)
        {
            progress.Line($"error: {e.Message}");
            Finish(tracker, RunStatus.Failed, progress);
            return ExitCodes.BadData;
        }
        catch
        {
            Finish(tracker, RunStatus.Failed, progress);
            throw;
        }

        if (rootTracker?.WriteFailure is string failure)
        {
            progress.Line(
                $"error: {failure}. Training stopped at step {outcome.State.Step} after checkpointing ({outcome.LastCheckpoint ?? "no checkpoint"}); " +
                "free space or make the file writable, then run the same command again to resume.");
            Finish(tracker, RunStatus.Failed, progress);
            return ExitCodes.WriteFailed;
        }

        return Conclude(config, outcome, parts.Model, tokenizer, tracker, progress);
    }

    /// <summary>
    /// The checkpoint to continue from. With checkpoint.resume a run continues only with the settings and inputs it
    /// was started with (<see cref="RunIdentity"/>); without it the claim (<see cref="RunFolderClaim"/>, rank 0) has
    /// already deleted what the earlier run wrote, and this one starts at step 0.
    /// </summary>
    public static StoredCheckpoint? FindResumePoint(ExperimentConfig config, TrainingCheckpointStore store)
    {
        StoredCheckpoint? latest = config.Checkpoint.Resume ? store.FindLatest(message => Console.Error.WriteLine($"warning: {message}")) : null;
        if (latest is not null)
        {
            RunIdentity.EnsureResumable(config, latest);
        }
        else if (config.Checkpoint.Resume)
        {
            RunIdentity.EnsureSameModel(config);
        }

        if (ProcessGroups.Current.IsRoot)
        {
            RunIdentity.SaveInputs(config);
        }

        return latest;
    }

    /// <summary>Loads a checkpoint's weights, optimizer state and random state; returns its run state.</summary>
    public static TrainingState RestoreCheckpoint(StoredCheckpoint checkpoint, T5ForConditionalGeneration model, IOptimizer optimizer)
    {
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

    /// <summary>
    /// The model evaluate and predict work on: the run folder's latest checkpoint (what this experiment trained), else
    /// model.init_from. A fine-tuning experiment names its starting weights in init_from, so its run folder must win.
    /// </summary>
    public static TrainedModel LoadTrainedModel(ExperimentConfig config, ITextTokenizer tokenizer, Device device, string verb)
    {
        StoredCheckpoint? latest = new TrainingCheckpointStore(config.RunDirectory, config.Checkpoint.KeepLast).FindLatest(m => Console.Error.WriteLine($"warning: {m}"));
        if (latest is null && string.IsNullOrWhiteSpace(config.Model.InitFrom))
        {
            throw new InvalidDataException(
                $"{verb} needs weights: point run_directory at a run with checkpoints ({Path.GetFullPath(config.RunDirectory)} has none), or set model.init_from (a HF checkpoint or run folder).");
        }

        string source = latest?.Directory ?? config.Model.InitFrom!;
        T5ForConditionalGeneration model = ModelFactory.Create(config with { Model = config.Model with { InitFrom = source } }, tokenizer, device);
        return new TrainedModel(model, source, latest?.Step ?? 0);
    }

    /// <summary>
    /// A measurement outside training (evaluate, predict) recorded by a tracker of its own in <paramref name="record"/>'s
    /// folder (<see cref="MeasurementRecord"/>), never in the run's: <paramref name="measure"/> prints through the
    /// reporter (on <paramref name="log"/>, standard output unless given) and returns metrics, logged at
    /// <paramref name="step"/> (the model's training step).
    /// </summary>
    public static int Measure(ExperimentConfig record, long step, Func<ProgressReporter, IReadOnlyDictionary<string, double>> measure, TextWriter? log = null)
    {
        var progress = new ProgressReporter(log ?? Console.Out, interactive: false, 0, TimeProvider.System);
        var tracker = ExperimentTracker.Start(record);
        try
        {
            tracker.LogMetrics(step, measure(progress));
        }
        catch
        {
            Finish(tracker, RunStatus.Failed, progress);
            throw;
        }

        Finish(tracker, RunStatus.Finished, progress);
        progress.Line($"recorded in: {Path.GetFullPath(record.RunDirectory)} (the run itself is unchanged)");
        if (tracker.WriteFailure is string failure)
        {
            progress.Line($"error: {failure}; the measurement above was not recorded.");
            return ExitCodes.WriteFailed;
        }

        return ExitCodes.Success;
    }

    /// <summary>Loss and token accuracy of <paramref name="trained"/> on eval.steps of <paramref name="batches"/>, measured and tracked.</summary>
    public static int EvaluateOnce(ExperimentConfig config, RunEnvironment environment, TrainedModel trained, IEnumerable<TrainingBatch> batches) =>
        Measure(MeasurementRecord.For(config, RunFolderLayout.EvaluationsDirectory, TimeProvider.System), trained.Step, progress =>
        {
            EvaluationResult result = Evaluator.Evaluate(trained.Model, batches, config.EvalMicroBatches(), environment.AutocastDtype);
            progress.Line(FormattableString.Invariant(
                $"[eval] {trained.Source} (step {trained.Step}): loss {result.Loss:F4} | accuracy {result.Accuracy:P2} | {result.Batches} batches"));
            return new Dictionary<string, double> { [MetricNames.EvalLoss] = result.Loss, [MetricNames.EvalAccuracy] = result.Accuracy };
        });

    /// <summary>Exports the model, ends the tracker and maps the outcome to an exit code.</summary>
    public static int Conclude(ExperimentConfig config, TrainingOutcome outcome, T5ForConditionalGeneration model, ITextTokenizer tokenizer, IExperimentTracker tracker, ProgressReporter progress)
    {
        string runDirectory = Path.GetFullPath(config.RunDirectory);
        switch (outcome.End)
        {
            case TrainingEnd.Completed:
                string exported = Path.Combine(runDirectory, RunFolderLayout.ModelDirectory);
                if (ProcessGroups.Current.IsRoot)
                {
                    try
                    {
                        HfCheckpoint.Save(model, exported);
                        HfTokenizerExport.Write(tokenizer, exported, Math.Max(config.Data.InputLength, config.Finetune.MaxSourceLength));
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        // Training is done and checkpointed; only the export is missing. The summary must not stay
                        // "running", and the message says how to get the export without training again.
                        Finish(tracker, RunStatus.Failed, progress);
                        throw new IOException(
                            $"Could not export the trained model to {exported}: {e.Message} Training finished and its last checkpoint " +
                            $"({outcome.LastCheckpoint ?? "none"}, step {outcome.State.Step}) is complete: free space (or make the folder writable) and " +
                            "run the same command again; it resumes at the last step and only evaluates and exports.", e);
                    }
                }

                progress.Line($"exported HuggingFace model: {exported}");
                Finish(tracker, RunStatus.Finished, progress);
                progress.Line($"run folder: {runDirectory}");
                return ExitCodes.Success;
            case TrainingEnd.Interrupted:
                Finish(tracker, RunStatus.Killed, progress);
                progress.Line($"interrupted at step {outcome.State.Step}; run the same command again to resume. run folder: {runDirectory}");
                return ExitCodes.Interrupted;
            default:
                Finish(tracker, RunStatus.Failed, progress);
                progress.Line($"run folder: {runDirectory}");
                return ExitCodes.Diverged;
        }
    }

    /// <summary>Ends the tracker with <paramref name="status"/> and prints its report.</summary>
    public static void Finish(IExperimentTracker tracker, RunStatus status, ProgressReporter progress)
    {
        TrackingReport report = tracker.EndAsync(status).GetAwaiter().GetResult();
        progress.Line(report.Describe());
    }

    private static string Describe(ExperimentConfig config, RunEnvironment environment, TrainingRunParts parts, ITextTokenizer tokenizer, StoredCheckpoint? resume)
    {
        long parameters = parts.Model.parameters().Sum(p => p.NumberOfElements);
        string start = resume is null ? "from scratch" : $"resuming from step {resume.Step} ({resume.Directory})";
        if (resume is null && !string.IsNullOrWhiteSpace(config.Model.InitFrom))
        {
            start = $"from {config.Model.InitFrom}";
        }

        string what = FormattableString.Invariant($"{config.Mode.ToString().ToLowerInvariant()} '{config.Name}': {parameters / 1e6:F1}M parameters, vocab {parts.Model.Config.VocabSize} (tokenizer {tokenizer.Count})");
        string epochs = config.Optim.Epochs > 0 ? FormattableString.Invariant($" ({config.Optim.Epochs} epochs)") : string.Empty;
        string optim = FormattableString.Invariant(
            $"{config.Optim.Name.ToString().ToLowerInvariant()} {config.Optim.Schedule.ToString().ToLowerInvariant()} lr {config.Optim.BaseLr}, batch {config.Optim.BatchSize} x grad_acc {config.Optim.GradAcc}, {parts.TotalSteps} steps{epochs}");
        return $"{what}, {optim}, {environment.Describe(config)}, {start}";
    }
}
