// A measurement outside training (evaluate, predict) of a model a run trained: recorded by a tracker of its own in
// a folder of its own (MeasurementRecord), never in the run's record.
using NanoT5.Config;
using NanoT5.Data;
using NanoT5.IO;
using NanoT5.Tracking;
using NanoT5.Training;

namespace NanoT5.Runs;

/// <summary>Runs and records one measurement of a trained model.</summary>
public static class Measurement
{
    /// <summary>
    /// Records in <paramref name="record"/>'s folder (<see cref="MeasurementRecord"/>) what <paramref name="measure"/>
    /// returns, logged at <paramref name="step"/> (the model's training step); <paramref name="measure"/> prints through
    /// the reporter (on <paramref name="log"/>, standard output unless given). Returns the exit code.
    /// </summary>
    public static int Record(ExperimentConfig record, long step, Func<ProgressReporter, IReadOnlyDictionary<string, double>> measure, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(measure);
        var progress = new ProgressReporter(log ?? Console.Out, interactive: false, 0, TimeProvider.System);
        var tracker = ExperimentTracker.Start(record);
        try
        {
            tracker.LogMetrics(step, measure(progress));
        }
        catch
        {
            TrackerEnd.Finish(tracker, RunStatus.Failed, progress);
            throw;
        }

        TrackerEnd.Finish(tracker, RunStatus.Finished, progress);
        progress.Line($"recorded in: {Path.GetFullPath(record.RunDirectory)} (the run itself is unchanged)");
        if (tracker.WriteFailure is string failure)
        {
            progress.Line($"error: {failure}; the measurement above was not recorded.");
        }

        return ExitCodes.OfMeasurement(recorded: tracker.WriteFailure is null);
    }

    /// <summary>Loss and token accuracy of <paramref name="trained"/> on eval.steps of <paramref name="batches"/>, measured and recorded.</summary>
    public static int Evaluate(ExperimentConfig config, RunEnvironment environment, TrainedModel trained, IEnumerable<TrainingBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(trained);
        return Record(MeasurementRecord.For(config, RunFolderLayout.EvaluationsDirectory, TimeProvider.System), trained.Step, progress =>
        {
            EvaluationResult result = Evaluator.Evaluate(trained.Model, batches, config.EvalMicroBatches(), environment.AutocastDtype);
            progress.Line(FormattableString.Invariant(
                $"[eval] {trained.Source} (step {trained.Step}): loss {result.Loss:F4} | accuracy {result.Accuracy:P2} | {result.Batches} batches"));
            return new Dictionary<string, double> { [MetricNames.EvalLoss] = result.Loss, [MetricNames.EvalAccuracy] = result.Accuracy };
        });
    }
}
