// The training loop of nanoT5's train.py: optimizer steps over micro-batches, logging, evaluation and
// checkpoints at their intervals, a final evaluation and checkpoint, and a stop that loses nothing when
// the process is asked to end.
using System.Diagnostics;
using System.Globalization;
using NanoT5.Checkpoints;
using NanoT5.Config;
using NanoT5.Data;
using NanoT5.Distributed;
using NanoT5.Model;
using NanoT5.Optim;
using NanoT5.Tracking;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoT5.Training;

/// <summary>How a training run ended.</summary>
public enum TrainingEnd
{
    /// <summary>All steps done.</summary>
    Completed,

    /// <summary>Stopped on request after a checkpoint of the last completed step.</summary>
    Interrupted,

    /// <summary>Too many non-finite steps in a row; the last good checkpoint is intact.</summary>
    Diverged,
}

/// <summary>What <see cref="Trainer.Run"/> did.</summary>
public sealed record TrainingOutcome(TrainingEnd End, TrainingState State, EvaluationResult? LastEvaluation, string? LastCheckpoint);

/// <summary>Everything the loop works with; built by the experiment runner.</summary>
public sealed record TrainerContext
{
    public required ExperimentConfig Config { get; init; }

    public required T5ForConditionalGeneration Model { get; init; }

    public required IOptimizer Optimizer { get; init; }

    public required TrainingStep Step { get; init; }

    public required ITrainingBatchSource Train { get; init; }

    /// <summary>A fresh pass over the validation batches (the same batches every time).</summary>
    public required Func<IEnumerable<TrainingBatch>> Validation { get; init; }

    /// <summary>Extra metrics at each evaluation (fine-tuning adds RougeL); may be null.</summary>
    public Func<long, IReadOnlyDictionary<string, double>>? ExtraEvaluation { get; init; }

    public required IExperimentTracker Tracker { get; init; }

    public required TrainingCheckpointStore Checkpoints { get; init; }

    public required ProgressReporter Progress { get; init; }

    public required long TotalSteps { get; init; }

    public TrainingState InitialState { get; init; } = new();

    public ScalarType? AutocastDtype { get; init; }

    /// <summary>User hooks (from the experiment project) called in order.</summary>
    public IReadOnlyList<ITrainingCallback> Callbacks { get; init; } = [];

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The other ranks of a data-parallel job (null: this process alone); rank 0 alone writes checkpoints.</summary>
    public DataParallel? Parallel { get; init; }
}

/// <summary>Runs the optimizer steps of one experiment.</summary>
public sealed class Trainer(TrainerContext context)
{
    private readonly ExperimentConfig config = context.Config;

    /// <summary>Trains from the initial state to the last step, or until <paramref name="stop"/> is cancelled.</summary>
    public TrainingOutcome Run(CancellationToken stop)
    {
        TrainingState state = context.InitialState;
        var window = new MetricWindow();
        EvaluationResult? lastEvaluation = null;
        string? lastCheckpoint = null;
        long lastEvaluatedStep = -1, lastCheckpointStep = -1;
        long startTimestamp = context.Time.GetTimestamp();
        double elapsedBefore = state.ElapsedSeconds;
        double Elapsed() => elapsedBefore + context.Time.GetElapsedTime(startTimestamp).TotalSeconds;
        int gradAcc = config.Optim.GradAcc;
        if (config.Eval.AtStart && state.Step == 0)
        {
            lastEvaluation = Evaluate(0);
            lastEvaluatedStep = 0;
        }

        while (state.Step < context.TotalSteps)
        {
            if (StopRequested(stop))
            {
                context.Progress.Line($"stop requested: checkpointing step {state.Step} and exiting");
                lastCheckpoint = lastCheckpointStep == state.Step ? lastCheckpoint : SaveCheckpoint(state with { ElapsedSeconds = Elapsed() });
                return new TrainingOutcome(TrainingEnd.Interrupted, state, lastEvaluation, lastCheckpoint);
            }

            long stepStart = context.Time.GetTimestamp();
            var micro = new List<TrainingBatch>(gradAcc);
            for (int i = 0; i < gradAcc; i++)
            {
                TrainingBatch? batch = context.Train.Next();
                if (batch is null)
                {
                    break;
                }

                micro.Add(batch);
            }

            if (micro.Count < gradAcc)
            {
                micro.ForEach(b => b.Dispose());
                break; // a finite source ran out (last epoch done)
            }

            double dataWait = context.Time.GetElapsedTime(stepStart).TotalSeconds;
            StepResult result;
            try
            {
                var onDevice = micro.Select(b => b.To(context.Model.Device)).ToList();
                result = context.Step.Run(onDevice, state.Step);
                onDevice.Where(b => !micro.Contains(b)).ToList().ForEach(b => b.Dispose());
            }
            finally
            {
                micro.ForEach(b => b.Dispose());
            }

            double seconds = context.Time.GetElapsedTime(stepStart).TotalSeconds;
            state = state with
            {
                Step = state.Step + 1,
                Epoch = context.Train.Epoch,
                TokensSeen = state.TokensSeen + result.Tokens,
                SkippedSteps = state.SkippedSteps + (result.Skipped ? 1 : 0),
                ConsecutiveSkippedSteps = result.Skipped ? state.ConsecutiveSkippedSteps + 1 : 0,
            };

            foreach (ITrainingCallback callback in context.Callbacks)
            {
                callback.OnStep(state, result);
            }

            if (result.Skipped)
            {
                context.Progress.Line(string.Create(CultureInfo.InvariantCulture,
                    $"step {state.Step}: loss {result.Loss} / gradient norm {result.GradNorm} not finite; update skipped ({state.ConsecutiveSkippedSteps} in a row, {state.SkippedSteps} in total)"));
                context.Tracker.LogMetric("train/skipped_steps", state.Step, state.SkippedSteps);
                if (state.ConsecutiveSkippedSteps >= config.Optim.MaxConsecutiveSkippedSteps)
                {
                    context.Progress.Line(
                        $"stopping: {state.ConsecutiveSkippedSteps} steps in a row had a non-finite loss or gradients (limit optim.max_consecutive_skipped_steps = {config.Optim.MaxConsecutiveSkippedSteps}). " +
                        $"The last good checkpoint is {lastCheckpoint ?? context.Checkpoints.FindLatest()?.Directory ?? "none (no checkpoint was written yet)"}; lower the learning rate or check the data, then resume.");
                    return new TrainingOutcome(TrainingEnd.Diverged, state, lastEvaluation, lastCheckpoint);
                }

                continue;
            }

            window.Add(result, seconds, dataWait);
            context.Progress.Status(state.Step, result.Loss, result.LearningRate, result.Tokens / seconds);

            if (state.Step % config.Logging.EverySteps == 0 || state.Step == context.TotalSteps)
            {
                LogTraining(state.Step, window, result);
                window = new MetricWindow();
            }

            if (state.Step % config.Eval.EverySteps == 0)
            {
                lastEvaluation = Evaluate(state.Step);
                lastEvaluatedStep = state.Step;
            }

            if (state.Step % config.Checkpoint.EverySteps == 0)
            {
                lastCheckpoint = SaveCheckpoint(state with { ElapsedSeconds = Elapsed() });
                lastCheckpointStep = state.Step;
            }
        }

        if (lastEvaluatedStep != state.Step)
        {
            lastEvaluation = Evaluate(state.Step);
        }

        if (lastCheckpointStep != state.Step)
        {
            lastCheckpoint = SaveCheckpoint(state with { ElapsedSeconds = Elapsed() });
        }

        return new TrainingOutcome(TrainingEnd.Completed, state with { ElapsedSeconds = Elapsed() }, lastEvaluation, lastCheckpoint);
    }

    private void LogTraining(long step, MetricWindow window, StepResult last)
    {
        var metrics = new Dictionary<string, double>
        {
            [MetricNames.TrainLoss] = window.MeanLoss,
            [MetricNames.TrainLr] = last.LearningRate,
            [MetricNames.TrainSecondsPerStep] = window.MeanSeconds,
            [MetricNames.TrainTokensPerSecond] = window.TokensPerSecond,
            ["train/data_wait_s"] = window.MeanDataWait,
        };
        if (config.Logging.GradL2)
        {
            metrics[MetricNames.TrainGradL2] = window.MeanGradNorm;
        }

        if (config.Logging.WeightsL2)
        {
            metrics[MetricNames.TrainWeightsL2] = context.Step.WeightsNorm();
        }

        context.Tracker.LogMetrics(step, metrics);
        context.Progress.Line(string.Create(CultureInfo.InvariantCulture,
            $"[train] step {step}/{context.TotalSteps} | loss {window.MeanLoss:F4} | grad_l2 {window.MeanGradNorm:F3} | lr {last.LearningRate:0.###e+00} | " +
            $"{window.MeanSeconds:F3} s/step | {window.TokensPerSecond:N0} tok/s | data wait {window.MeanDataWait * 1000:F0} ms | {context.Progress.Timing(step)}"));
    }

    private EvaluationResult Evaluate(long step)
    {
        var watch = Stopwatch.StartNew();
        EvaluationResult result = Evaluator.Evaluate(context.Model, context.Validation(), config.EvalMicroBatches(), context.AutocastDtype, context.Parallel);
        var metrics = new Dictionary<string, double>
        {
            [MetricNames.EvalLoss] = result.Loss,
            [MetricNames.EvalAccuracy] = result.Accuracy,
        };
        if (context.ExtraEvaluation is not null)
        {
            foreach (var (name, value) in context.ExtraEvaluation(step))
            {
                metrics[name] = value;
            }
        }

        context.Tracker.LogMetrics(step, metrics);
        foreach (ITrainingCallback callback in context.Callbacks)
        {
            callback.OnEvaluation(step, metrics);
        }

        // Per-group metrics (eval/rougeL/<category>) and a fine-tuning run's final test/* go to the tracker only (the
        // extra evaluation prints the latter); the line keeps the overall numbers.
        string extra = string.Concat(metrics.Where(m => m.Key != MetricNames.EvalLoss && m.Key != MetricNames.EvalAccuracy && m.Key.Count(c => c == '/') == 1
                && m.Key.StartsWith("eval/", StringComparison.Ordinal))
            .Select(m => string.Create(CultureInfo.InvariantCulture, $" | {m.Key[(m.Key.IndexOf('/', StringComparison.Ordinal) + 1)..]} {FormatMetric(m.Key, m.Value)}")));
        context.Progress.Line(string.Create(CultureInfo.InvariantCulture,
            $"[eval] step {step} | loss {result.Loss:F4} | accuracy {result.Accuracy:P2} | {result.Batches} batches in {watch.Elapsed.TotalSeconds:F1} s{extra}"));
        return result;
    }

    // Counts (eval/instances) read as counts; scores keep two decimals.
    private static string FormatMetric(string name, double value) =>
        value.ToString(name == MetricNames.EvalInstances ? "F0" : "F2", CultureInfo.InvariantCulture);

    // Ranks stop at the same step: a signal seen by any rank stops all of them before the next all-reduce.
    private bool StopRequested(CancellationToken stop)
    {
        if (context.Parallel is null)
        {
            return stop.IsCancellationRequested;
        }

        Span<double> requested = [stop.IsCancellationRequested ? 1 : 0];
        context.Parallel.Group.AllReduceSum(requested);
        return requested[0] > 0;
    }

    private string SaveCheckpoint(TrainingState state)
    {
        if (context.Parallel is { Group.IsRoot: false })
        {
            return context.Checkpoints.Root; // rank 0 writes the checkpoint every rank holds the state of
        }

        using var rng = torch.get_rng_state();
        TrainingState full = state with { TorchRngState = Convert.ToBase64String(rng.bytes) };
        string directory = context.Checkpoints.Save(context.Model, context.Optimizer, full, context.Train.SaveState());
        context.Tracker.Flush();
        context.Progress.Line($"[checkpoint] step {state.Step} -> {directory}");
        foreach (ITrainingCallback callback in context.Callbacks)
        {
            callback.OnCheckpoint(state.Step, directory);
        }

        return directory;
    }

    private sealed class MetricWindow
    {
        private double loss, gradNorm, seconds, dataWait;
        private long tokens;
        private int steps;

        public double MeanLoss => loss / Math.Max(1, steps);

        public double MeanGradNorm => gradNorm / Math.Max(1, steps);

        public double MeanSeconds => seconds / Math.Max(1, steps);

        public double MeanDataWait => dataWait / Math.Max(1, steps);

        public double TokensPerSecond => seconds > 0 ? tokens / seconds : 0;

        public void Add(StepResult result, double stepSeconds, double waitSeconds)
        {
            loss += result.Loss;
            gradNorm += result.GradNorm;
            seconds += stepSeconds;
            dataWait += waitSeconds;
            tokens += result.Tokens;
            steps++;
        }
    }
}
