// What the training loops call. Every method returns at once: metrics go to the local journal on the
// caller's thread (one file write), and the network is only touched by a background sender.
namespace NanoT5.Tracking;

// "step" is the training term; VB's Step keyword (CA1716) does not concern the loops that call this.
#pragma warning disable CA1716

/// <summary>
/// Records one run. Call order: <see cref="ExperimentTracker.Start"/>, then any of the Log/Set methods
/// (with <see cref="Flush"/> at checkpoints), then <see cref="EndAsync"/> once.
/// </summary>
public interface IExperimentTracker : IAsyncDisposable
{
    /// <summary>The run folder.</summary>
    string RunDirectory { get; }

    /// <summary>Logs parameters (the config is logged by Start); a key keeps its first value.</summary>
    void LogParams(IReadOnlyDictionary<string, string> parameters);

    /// <summary>Sets a run tag (overwrites).</summary>
    void SetTag(string key, string value);

    /// <summary>
    /// Appends a metric point stamped with the current time. A metric keeps its first value per step, so a
    /// run resumed from a checkpoint can replay steps without duplicating them.
    /// </summary>
    void LogMetric(string name, long step, double value);

    /// <summary>Appends several metrics of one step.</summary>
    void LogMetrics(long step, IReadOnlyDictionary<string, double> values);

    /// <summary>Keeps <paramref name="text"/> as artifact <paramref name="name"/> (a relative path); returns its path.</summary>
    string LogText(string name, string text);

    /// <summary>Copies a file in as an artifact (default name: its file name); returns the artifact's path.</summary>
    string LogFile(string sourcePath, string? name = null);

    /// <summary>Forces metrics to disk and rewrites summary.json: call it when a checkpoint is saved.</summary>
    void Flush();

    /// <summary>
    /// Ends the run: final summary, plots, and up to TrackerSettings.DrainSeconds for the remote tracker to
    /// receive what is pending (cancelling <paramref name="cancellationToken"/> cuts the drain short; it never
    /// throws). Later calls return the same report.
    /// </summary>
    Task<TrackingReport> EndAsync(RunStatus status, CancellationToken cancellationToken = default);
}
#pragma warning restore CA1716
