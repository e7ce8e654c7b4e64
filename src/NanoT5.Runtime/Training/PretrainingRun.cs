// The pretraining entry point, read like nanoT5's main.py: config -> environment -> tokenizer -> model ->
// optimizer and schedule -> data -> tracker -> resume -> train -> export.
using NanoT5.Checkpoints;
using NanoT5.Cli;
using NanoT5.Config;
using NanoT5.Data;
using NanoT5.Data.Pipeline;
using NanoT5.Data.Sources;
using NanoT5.Data.Tokenizers;
using NanoT5.Model;
using NanoT5.Optim;
using NanoT5.Tracking;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoT5.Training;

/// <summary>Runs the pretrain and evaluate modes of an experiment.</summary>
public static class PretrainingRun
{
    /// <summary>Pretrains as <paramref name="config"/> says; returns the process exit code.</summary>
    public static int Pretrain(ExperimentConfig config, IReadOnlyList<ITrainingCallback>? callbacks = null, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        RunEnvironment environment = RunEnvironment.Prepare(config);
        T5LayoutTokenizer tokenizer = TextTokenizerFactory.Create(config.Tokenizer);
        var store = new TrainingCheckpointStore(config.RunDirectory, config.Checkpoint.KeepLast);
        StoredCheckpoint? resume = FindResumePoint(config, store);

        using T5ForConditionalGeneration model = ModelFactory.Create(config, tokenizer, environment.Device);
        using IOptimizer optimizer = OptimizerFactory.Create(config.Optim, model.named_parameters());
        long totalSteps = config.Optim.TotalSteps;
        var schedule = OptimizerFactory.CreateSchedule(config.Optim, totalSteps);

        var warnings = TextWriterWarningSink.StandardError;
        using var train = new PretrainingSource(PretrainingPipeline.ForTraining(
            config, tokenizer, warnings, resume is null ? null : PipelineState.FromBytes(resume.ReadDataState())));
        ValidationBatches validation = ValidationBatches.ForEvaluation(config, tokenizer, warnings);

        var progress = ProgressReporter.ForConsole(totalSteps, time);
        TrainingState state = resume is null ? new TrainingState() : RestoreCheckpoint(resume, model, optimizer);
        progress.Line(Describe(config, environment, model, tokenizer, resume));
        if (schedule.Note is string note)
        {
            progress.Line(note);
        }

        var tracker = ExperimentTracker.Start(config, new TrackerOptions { Time = time });
        using var signals = new StopSignals(Console.Error, ExitCodes.Killed);
        TrainingOutcome outcome;
        try
        {
            outcome = new Trainer(new TrainerContext
            {
                Config = config,
                Model = model,
                Optimizer = optimizer,
                Step = new TrainingStep(model, optimizer, schedule, config.Optim.GradClip, environment.AutocastDtype),
                Train = train,
                Validation = () => validation.Batches().Select(PretrainingSource.ToTrainingBatch),
                Tracker = tracker,
                Checkpoints = store,
                Progress = progress,
                TotalSteps = totalSteps,
                InitialState = state,
                AutocastDtype = environment.AutocastDtype,
                Callbacks = callbacks ?? [],
                Time = time,
            }).Run(signals.Token);
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

        return Conclude(config, outcome, model, tokenizer, tracker, progress);
    }

    /// <summary>Evaluates the model named by model.init_from (or the run's latest checkpoint) on eval.steps validation batches.</summary>
    public static int Evaluate(ExperimentConfig config)
    {
        RunEnvironment environment = RunEnvironment.Prepare(config);
        T5LayoutTokenizer tokenizer = TextTokenizerFactory.Create(config.Tokenizer);
        StoredCheckpoint? latest = new TrainingCheckpointStore(config.RunDirectory, config.Checkpoint.KeepLast).FindLatest(Console.Error.WriteLine);
        if (string.IsNullOrWhiteSpace(config.Model.InitFrom) && latest is null)
        {
            throw new InvalidDataException(
                $"evaluate needs weights: set model.init_from (a HF checkpoint or run folder), or point run_directory at a run with checkpoints ({config.RunDirectory} has none).");
        }

        ExperimentConfig evaluated = string.IsNullOrWhiteSpace(config.Model.InitFrom) ? config with { Model = config.Model with { InitFrom = latest!.Directory } } : config;
        using T5ForConditionalGeneration model = ModelFactory.Create(evaluated, tokenizer, environment.Device);
        ValidationBatches validation = ValidationBatches.ForEvaluation(config, tokenizer, TextWriterWarningSink.StandardError);
        var tracker = ExperimentTracker.Start(config);
        EvaluationResult result = Evaluator.Evaluate(model, validation.Batches().Select(PretrainingSource.ToTrainingBatch), config.Eval.Steps, environment.AutocastDtype);
        tracker.LogMetrics(0, new Dictionary<string, double> { [MetricNames.EvalLoss] = result.Loss, [MetricNames.EvalAccuracy] = result.Accuracy });
        Console.WriteLine(FormattableString.Invariant($"[eval] {evaluated.Model.InitFrom}: loss {result.Loss:F4} | accuracy {result.Accuracy:P2} | {result.Batches} batches"));
        var progress = new ProgressReporter(Console.Out, interactive: false, 0, TimeProvider.System);
        Finish(tracker, RunStatus.Finished, progress);
        progress.Line($"run folder: {Path.GetFullPath(config.RunDirectory)}");
        return ExitCodes.Success;
    }

    /// <summary>The checkpoint to continue from, honouring checkpoint.resume.</summary>
    public static StoredCheckpoint? FindResumePoint(ExperimentConfig config, TrainingCheckpointStore store)
    {
        StoredCheckpoint? latest = store.FindLatest(message => Console.Error.WriteLine($"warning: {message}"));
        if (latest is not null && !config.Checkpoint.Resume)
        {
            throw new InvalidDataException(
                $"{config.RunDirectory} already holds a run (checkpoint at step {latest.Step}) and checkpoint.resume is false: " +
                "choose another run directory, delete this one, or set resume to continue it.");
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

    /// <summary>Exports the model, ends the tracker and maps the outcome to an exit code.</summary>
    public static int Conclude(ExperimentConfig config, TrainingOutcome outcome, T5ForConditionalGeneration model, ITextTokenizer tokenizer, IExperimentTracker tracker, ProgressReporter progress)
    {
        string runDirectory = Path.GetFullPath(config.RunDirectory);
        switch (outcome.End)
        {
            case TrainingEnd.Completed:
                string exported = Path.Combine(runDirectory, RunFolderLayout.ModelDirectory);
                HfCheckpoint.Save(model, exported);
                HfTokenizerExport.Write(tokenizer, exported, Math.Max(config.Data.InputLength, config.Finetune.MaxSourceLength));
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

    private static void Finish(IExperimentTracker tracker, RunStatus status, ProgressReporter progress)
    {
        TrackingReport report = tracker.EndAsync(status).GetAwaiter().GetResult();
        progress.Line(report.Describe());
    }

    private static string Describe(ExperimentConfig config, RunEnvironment environment, T5ForConditionalGeneration model, ITextTokenizer tokenizer, StoredCheckpoint? resume)
    {
        long parameters = model.parameters().Sum(p => p.NumberOfElements);
        string start = resume is null ? "from scratch" : $"resuming from step {resume.Step} ({resume.Directory})";
        string what = FormattableString.Invariant($"{config.Mode.ToString().ToLowerInvariant()} '{config.Name}': {parameters / 1e6:F1}M parameters, vocab {model.Config.VocabSize} (tokenizer {tokenizer.Count})");
        string optim = FormattableString.Invariant(
            $"{config.Optim.Name.ToString().ToLowerInvariant()} {config.Optim.Schedule.ToString().ToLowerInvariant()} lr {config.Optim.BaseLr}, batch {config.Optim.BatchSize} x grad_acc {config.Optim.GradAcc}, {config.Optim.TotalSteps} steps");
        return $"{what}, {optim}, {environment.Describe(config)}, {start}";
    }
}
