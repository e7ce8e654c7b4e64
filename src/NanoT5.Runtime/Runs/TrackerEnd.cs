// How every run and measurement ends its tracker: with a status, and the tracker's report on the run's progress.
using NanoT5.Tracking;
using NanoT5.Training;

namespace NanoT5.Runs;

/// <summary>Ends a tracker and prints its report.</summary>
internal static class TrackerEnd
{
    /// <summary>Ends <paramref name="tracker"/> with <paramref name="status"/> and prints its report.</summary>
    public static void Finish(IExperimentTracker tracker, RunStatus status, ProgressReporter progress)
    {
        TrackingReport report = tracker.EndAsync(status).GetAwaiter().GetResult();
        progress.Line(report.Describe());
    }
}
