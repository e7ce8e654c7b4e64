// The training loop of nanoT5's train() (utils/train_utils.py): optimizer steps over micro-batches, then
// logging, evaluation and checkpoints at their intervals (its maybe_logging, maybe_eval_predict,
// maybe_save_checkpoint), a final evaluation and checkpoint. Ours adds, each in one method: skipped non-finite
// steps, a stop that loses nothing when the process is asked to end, callbacks, data-wait timing, ranks agreeing.
using System.Diagnostics;
using System.Globalization;
using NanoT5.Checkpoints;
using NanoT5.Config;
using NanoT5.Data;
using NanoT5.Tracking;
using TorchSharp;

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

/// <summary>Runs the optimizer steps of one experiment; one instance per run.</summary>
public sealed class Trainer
{
    private readonly TrainerContext context;
    private readonly ExperimentConfig config;
    private readonly TrainingRunParts parts;
    private readonly TrainingStep trainingStep;
    private Func<bool>? evaluationStop;
    private TrainingState state;
    private MetricWindow window = new();
    private bool printedFirstLine;
    private EvaluationResult? lastEvaluation;
    private string? lastCheckpoint;
    private long lastEvaluatedStep = -1, lastCheckpointStep = -1;
    private long startTimestamp;
    private bool started;

    public Trainer(TrainerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        this.context = context;
        config = context.Config;
        parts = context.Parts;
        state = context.InitialState;
        trainingStep = new TrainingStep(parts.Model, parts.Optimizer, parts.Schedule, config.Optim.GradClip, context.AutocastDtype, context.Parallel);
    }

    /// <summary>Trains from the initial state to the last step, or until <paramref name="stop"/> is cancelled.</summary>
    public TrainingOutcome Run(CancellationToken stop)
    {
        try
        {
            return Loop(stop);
        }
        catch (EvaluationStoppedException)
        {
            // A signal mid-evaluation: the evaluation is dropped (it is redone after the resume), the step kept.
            return Interrupt();
        }
    }

    private TrainingOutcome Loop(CancellationToken stop)
    {
        Start();
        evaluationStop = () => StopRequested(stop);
        if (config.Eval.AtStart && state.Step == 0)
        {
            Evaluate();
        }

        while (state.Step < parts.TotalSteps)
        {
            if (StopRequested(stop))
            {
                return Interrupt();
            }

            if (TakeStep() is not { } taken)
            {
                break; // a finite source ran out (last epoch done)
            }

            Advance(taken.Result);
            if (taken.Result.Skipped)
            {
                if (SkippedTooOften(taken.Result))
                {
                    return Diverge();
                }

                continue;
            }

            window.Add(taken);
            context.Progress.Status(state.Step, taken.Result.Loss, taken.Result.LearningRate, taken.Result.Tokens / taken.Seconds);
            MaybeLog(taken.Result);
            MaybeEvaluate();
            MaybeSaveCheckpoint();
        }

        return Complete();
    }

    // The loop's bookkeeping lives in this instance, so it runs once; the clock starts here, not at construction.
    private void Start()
    {
        if (started)
        {
            throw new InvalidOperationException("A Trainer runs once: make a new one (with the state to start from) for another run.");
        }

        started = true;
        startTimestamp = context.Time.GetTimestamp();
    }

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

    // Nothing is lost: the last completed step is checkpointed (unless it just was) and the run resumes from it.
    private TrainingOutcome Interrupt()
    {
        context.Progress.Line($"stop requested: checkpointing step {state.Step} and exiting");
        if (lastCheckpointStep != state.Step)
        {
            SaveCheckpoint();
        }

        return new TrainingOutcome(TrainingEnd.Interrupted, state, lastEvaluation, lastCheckpoint);
    }

    // One optimizer step over the next grad_acc micro-batches, timed with the wait for them apart; null when a finite
    // source has fewer left.
    private TimedStep? TakeStep()
    {
        long stepStart = context.Time.GetTimestamp();
        List<TrainingBatch>? micro = NextMicroBatches();
        if (micro is null)
        {
            return null;
        }

        double dataWait = context.Time.GetElapsedTime(stepStart).TotalSeconds;
        StepResult result;
        try
        {
            var onDevice = micro.Select(b => b.To(parts.Model.Device)).ToList();
            result = trainingStep.Run(onDevice, state.Step);
            onDevice.Where(b => !micro.Contains(b)).ToList().ForEach(b => b.Dispose());
        }
        finally
        {
            micro.ForEach(b => b.Dispose());
        }

        return new TimedStep(result, context.Time.GetElapsedTime(stepStart).TotalSeconds, dataWait);
    }

    private List<TrainingBatch>? NextMicroBatches()
    {
        int gradAcc = config.Optim.GradAcc;
        var micro = new List<TrainingBatch>(gradAcc);
        for (int i = 0; i < gradAcc; i++)
        {
            TrainingBatch? batch = parts.Train.Next();
            if (batch is null)
            {
                break;
            }

            micro.Add(batch);
        }

        if (micro.Count == gradAcc)
        {
            return micro;
        }

        micro.ForEach(b => b.Dispose());
        return null;
    }

    // Skipped steps count as steps: the schedule, the data and the callbacks moved on past them.
    private void Advance(StepResult result)
    {
        state = state with
        {
            Step = state.Step + 1,
            Epoch = parts.Train.Epoch,
            TokensSeen = state.TokensSeen + result.Tokens,
            SkippedSteps = state.SkippedSteps + (result.Skipped ? 1 : 0),
            ConsecutiveSkippedSteps = result.Skipped ? state.ConsecutiveSkippedSteps + 1 : 0,
        };

        foreach (ITrainingCallback callback in context.Callbacks)
        {
            callback.OnStep(state, result);
        }
    }

    // Reports and counts a skipped step; true when optim.max_consecutive_skipped_steps in a row end the run.
    private bool SkippedTooOften(StepResult result)
    {
        context.Progress.Line(string.Create(CultureInfo.InvariantCulture,
            $"step {state.Step}: loss {result.Loss} / gradient norm {result.GradNorm} not finite; update skipped ({state.ConsecutiveSkippedSteps} in a row, {state.SkippedSteps} in total)"));
        context.Tracker.LogMetric(MetricNames.TrainSkippedSteps, state.Step, state.SkippedSteps);
        return state.ConsecutiveSkippedSteps >= config.Optim.MaxConsecutiveSkippedSteps;
    }

    private TrainingOutcome Diverge()
    {
        context.Progress.Line(
            $"stopping: {state.ConsecutiveSkippedSteps} steps in a row had a non-finite loss or gradients (limit optim.max_consecutive_skipped_steps = {config.Optim.MaxConsecutiveSkippedSteps}). " +
            $"The last good checkpoint is {lastCheckpoint ?? context.Checkpoints.FindLatest()?.Directory ?? "none (no checkpoint was written yet)"}; lower the learning rate or check the data, then resume.");
        return new TrainingOutcome(TrainingEnd.Diverged, state, lastEvaluation, lastCheckpoint);
    }

    private void MaybeLog(StepResult last)
    {
        long step = state.Step;
        if (step % config.Logging.EverySteps != 0 && step != parts.TotalSteps)
        {
            // A first line at once (speed and ETA), not after log_every steps of silence; it is not a logged metric.
            if (!printedFirstLine)
            {
                printedFirstLine = true;
                context.Progress.Line(string.Create(CultureInfo.InvariantCulture,
                    $"[train] step {step}/{parts.TotalSteps} | loss {window.MeanLoss:F4} | {window.MeanSeconds:F3} s/step | {context.Progress.Timing(step)} (then every {config.Logging.EverySteps} steps)"));
            }

            return;
        }

        printedFirstLine = true;

        var metrics = new Dictionary<string, double>
        {
            [MetricNames.TrainLoss] = window.MeanLoss,
            [MetricNames.TrainLr] = last.LearningRate,
            [MetricNames.TrainSecondsPerStep] = window.MeanSeconds,
            [MetricNames.TrainTokensPerSecond] = window.TokensPerSecond,
            [MetricNames.TrainDataWaitSeconds] = window.MeanDataWait,
        };
        if (config.Logging.GradL2)
        {
            metrics[MetricNames.TrainGradL2] = window.MeanGradNorm;
        }

        if (config.Logging.WeightsL2)
        {
            metrics[MetricNames.TrainWeightsL2] = trainingStep.WeightsNorm();
        }

        context.Tracker.LogMetrics(step, metrics);
        context.Progress.Line(string.Create(CultureInfo.InvariantCulture,
            $"[train] step {step}/{parts.TotalSteps} | loss {window.MeanLoss:F4} | grad_l2 {window.MeanGradNorm:F3} | lr {last.LearningRate:0.###e+00} | " +
            $"{window.MeanSeconds:F3} s/step | {window.TokensPerSecond:N0} tok/s | data wait {window.MeanDataWait * 1000:F0} ms | {context.Progress.Timing(step)}"));
        window = new MetricWindow();
    }

    // A stop already requested skips the periodic evaluation: the step is checkpointed and the loop ends at its top.
    private void MaybeEvaluate()
    {
        if (state.Step % config.Eval.EverySteps == 0 && evaluationStop?.Invoke() != true)
        {
            Evaluate();
        }
    }

    private void MaybeSaveCheckpoint()
    {
        if (state.Step % config.Checkpoint.EverySteps == 0)
        {
            SaveCheckpoint();
        }
    }

    // The last step is evaluated and checkpointed even between intervals, as after nanoT5's loop.
    private TrainingOutcome Complete()
    {
        if (lastEvaluatedStep != state.Step)
        {
            Evaluate();
        }

        if (lastCheckpointStep != state.Step)
        {
            SaveCheckpoint();
        }

        return new TrainingOutcome(TrainingEnd.Completed, state with { ElapsedSeconds = Elapsed() }, lastEvaluation, lastCheckpoint);
    }

    private void Evaluate()
    {
        long step = state.Step;
        var watch = Stopwatch.StartNew();
        EvaluationResult result = Evaluator.Evaluate(parts.Model, parts.Validation(), config.EvalMicroBatches(), context.AutocastDtype, context.Parallel, evaluationStop);
        var metrics = new Dictionary<string, double>
        {
            [MetricNames.EvalLoss] = result.Loss,
            [MetricNames.EvalAccuracy] = result.Accuracy,
        };
        if (parts.ExtraEvaluation is not null)
        {
            foreach (var (name, value) in parts.ExtraEvaluation(step))
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
        // extra evaluation prints the latter); the line keeps the overall numbers, in the order they were logged.
        string extra = string.Concat(metrics.Where(m => MetricNames.EvalLineExtras.Contains(m.Key))
            .Select(m => string.Create(CultureInfo.InvariantCulture, $" | {m.Key[MetricNames.EvalGroup.Length..]} {FormatMetric(m.Key, m.Value)}")));
        context.Progress.Line(string.Create(CultureInfo.InvariantCulture,
            $"[eval] step {step} | loss {result.Loss:F4} | accuracy {result.Accuracy:P2} | {result.Batches} batches in {watch.Elapsed.TotalSeconds:F1} s{extra}"));
        lastEvaluation = result;
        lastEvaluatedStep = step;
    }

    // Counts (eval/instances) read as counts; scores keep two decimals.
    private static string FormatMetric(string name, double value) =>
        value.ToString(name == MetricNames.EvalInstances ? "F0" : "F2", CultureInfo.InvariantCulture);

    private void SaveCheckpoint()
    {
        TrainingState saved = state with { ElapsedSeconds = Elapsed() };
        lastCheckpoint = context.Parallel is { Group.IsRoot: false }
            ? context.Checkpoints.Root // rank 0 writes the checkpoint every rank holds the state of
            : WriteCheckpoint(saved);
        lastCheckpointStep = saved.Step;
    }

    private string WriteCheckpoint(TrainingState saved)
    {
        using var rng = torch.get_rng_state();
        string directory = context.Checkpoints.Save(parts.Model, parts.Optimizer, saved with { TorchRngState = Convert.ToBase64String(rng.bytes) }, parts.Train.SaveState());
        context.Tracker.Flush();
        context.Progress.Line($"[checkpoint] step {saved.Step} -> {directory}");
        foreach (ITrainingCallback callback in context.Callbacks)
        {
            callback.OnCheckpoint(saved.Step, directory);
        }

        return directory;
    }

    private double Elapsed() => context.InitialState.ElapsedSeconds + context.Time.GetElapsedTime(startTimestamp).TotalSeconds;
}
