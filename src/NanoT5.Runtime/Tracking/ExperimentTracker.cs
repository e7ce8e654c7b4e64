// The tracker the training loops use: a durable local record of the run (config, params, metrics journal,
// summary, plots, artifacts) and, when configured, a background delivery to a remote tracker.
// Starting on a folder that already holds a run resumes it: same run uid, same remote run, and metric
// points already recorded are kept (a replayed step after a checkpoint resume is ignored).
// Once training runs, a failed write of the run's own files (disk full, a file made read-only) never throws
// into the loop: it is reported once, naming the file, and WriteFailedToken asks the loop to checkpoint and stop.
// Start opens the parts (the files, git, the journal replay, the sender); the constructor only keeps them.
using NanoT5.Config;
using NanoT5.Tracking.Local;
using NanoT5.Tracking.Outbox;
using NanoT5.Tracking.Plots;
using NanoT5.Tracking.Remote;

namespace NanoT5.Tracking;

/// <summary>Local run record plus optional remote delivery; see <see cref="IExperimentTracker"/>.</summary>
public sealed class ExperimentTracker : IExperimentTracker
{
    private readonly Lock gate = new();
    private readonly RunRecord record;
    private readonly ArtifactStore artifacts;
    private readonly RemoteDelivery? remote;
    private readonly TrackerLog log;
    private readonly TimeProvider time;
    private Task<TrackingReport>? ended;

    private ExperimentTracker(RunRecord record, ArtifactStore artifacts, RemoteDelivery? remote, TrackerLog log, TimeProvider time)
    {
        this.record = record;
        this.artifacts = artifacts;
        this.remote = remote;
        this.log = log;
        this.time = time;
    }

    public string RunDirectory => record.Folder.Root;

    /// <summary>The first failed write of a run file ("could not write PATH: reason"), or null while all writes succeed.</summary>
    public string? WriteFailure => record.Writes.Failure;

    /// <summary>Cancelled at the first failed write; the training loop links it to its stop request.</summary>
    public CancellationToken WriteFailedToken => record.Writes.FailedToken;

    /// <summary>The run's stable id (also in summary.json and as a tag of the remote run).</summary>
    public string RunUid => record.RunUid;

    /// <summary>
    /// Starts (or resumes) tracking the run of <paramref name="config"/> in its RunDirectory: writes
    /// config.resolved.json, params.json and summary.json, and starts the remote sender when configured.
    /// Touches no network on the calling thread.
    /// </summary>
    public static ExperimentTracker Start(ExperimentConfig config, TrackerOptions? options = null)
    {
        options ??= new TrackerOptions();
        var folder = new RunFolder(config.RunDirectory);
        // First, so a run whose tracker settings are refused below still shows what it was asked to be.
        RunRecord.SaveConfig(folder, config);

        TrackerToken? token = config.Tracker.Kind == TrackerKind.None && options.Backend is null
            ? null
            : TrackerToken.FromEnvironment(config.Tracker.TokenVariable, options.Environment);
        var log = new TrackerLog(options.Log ?? Console.Error, token);
        WarnOfAnUntrackerlikeTokenName(config.Tracker, token, log);
        ITrackingBackend? backend = options.Backend ?? TrackingBackends.Create(config.Tracker, token);

        RunRecord record = RunRecord.Open(folder, config, options.Tags, options.SourceDirectory ?? Directory.GetCurrentDirectory(), options.Time, log.Warn);
        RemoteDelivery? remote = backend is null
            ? null
            : RemoteDelivery.Start(backend, config, record, options.Delivery ?? DeliveryOptions.From(config.Tracker), options.Time, log);
        return new ExperimentTracker(record, new ArtifactStore(folder.ArtifactsDirectory), remote, log, options.Time);
    }

    public void LogParams(IReadOnlyDictionary<string, string> parameters)
    {
        lock (gate)
        {
            ThrowIfEnded();
            record.LogParams(parameters);
        }
    }

    public void SetTag(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        lock (gate)
        {
            ThrowIfEnded();
            record.SetTag(key, value);
        }
    }

    public void LogMetric(string name, long step, double value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (gate)
        {
            ThrowIfEnded();
            record.LogMetric(name, step, value);
        }
    }

    public void LogMetrics(long step, IReadOnlyDictionary<string, double> values)
    {
        foreach ((string name, double value) in values)
        {
            LogMetric(name, step, value);
        }
    }

    public string LogText(string name, string text)
    {
        ThrowIfEnded();
        return artifacts.WriteText(name, text);
    }

    public string LogFile(string sourcePath, string? name = null)
    {
        ThrowIfEnded();
        return artifacts.CopyFile(sourcePath, name);
    }

    public void Flush()
    {
        lock (gate)
        {
            ThrowIfEnded();
            record.Flush();
        }
    }

    public Task<TrackingReport> EndAsync(RunStatus status, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            // Off the caller's lock: drawing plots and draining must not hold up the sender's snapshot of params.
            return ended ??= Task.Run(() => EndCoreAsync(status, cancellationToken), CancellationToken.None);
        }
    }

    /// <summary>Ends the run as <see cref="RunStatus.Failed"/> when <see cref="EndAsync"/> was not called (the loop did not reach its end).</summary>
    public async ValueTask DisposeAsync() => await EndAsync(RunStatus.Failed).ConfigureAwait(false);

    public override string ToString() => $"{nameof(ExperimentTracker)}({record.Folder.Root}, {record.Status})";

    private static void WarnOfAnUntrackerlikeTokenName(TrackerSettings tracker, TrackerToken? token, TrackerLog log)
    {
        if (token is not null && !TrackerToken.NameSaysTracker(tracker.TokenVariable))
        {
            log.Warn(
                $"WARNING: the value of {tracker.TokenVariable} is sent as a bearer token to {tracker.Url ?? "the tracker"}, but that name does not say it is a tracker's token " +
                $"(tracker.token_variable). If it is another secret, stop this run; name a variable whose name contains {string.Join(", ", TrackerToken.TrackerWords)}.");
        }
    }

    private async Task<TrackingReport> EndCoreAsync(RunStatus status, CancellationToken cancellationToken)
    {
        DateTimeOffset endTime = time.GetUtcNow();
        record.FlushMetrics();
        Task<RemoteSummary?> drain = remote is null ? Task.FromResult<RemoteSummary?>(null) : DrainAsync(remote, status, endTime, cancellationToken);
        IReadOnlyList<PlotFile> plots = DrawPlots();
        RemoteSummary? delivery = await drain.ConfigureAwait(false);
        record.End(status, endTime, delivery);
        record.Dispose();
        if (remote is not null)
        {
            await remote.DisposeAsync().ConfigureAwait(false);
        }

        return new TrackingReport
        {
            Status = status,
            RunDirectory = record.Folder.Root,
            Points = record.Points,
            ReplayedPointsIgnored = record.ReplayedPointsIgnored,
            Plots = plots,
            RemoteRunId = delivery?.RunId,
            DeliveredPoints = delivery?.DeliveredPoints ?? 0,
            PendingPoints = delivery?.PendingPoints ?? 0,
            SetAsidePoints = delivery?.SetAsidePoints ?? 0,
            Warnings = log.Warnings,
        };
    }

    private static async Task<RemoteSummary?> DrainAsync(RemoteDelivery remote, RunStatus status, DateTimeOffset endTime, CancellationToken cancellationToken) =>
        await remote.DrainAsync(status, endTime, cancellationToken).ConfigureAwait(false);

    // Plots are a convenience: a rendering failure (a missing native library, say) is reported, not fatal.
    private IReadOnlyList<PlotFile> DrawPlots()
    {
        try
        {
            return RunPlots.Draw(record.Folder.PlotsDirectory, record.Name, MetricsJournal.ReadAll(record.Folder.MetricsFile));
        }
#pragma warning disable CA1031 // Any failure to draw must leave the run's outcome and metrics untouched.
        catch (Exception e)
#pragma warning restore CA1031
        {
            log.Warn($"plots not drawn: {e.GetType().Name}: {e.Message}");
            return [];
        }
    }

    private void ThrowIfEnded()
    {
        if (ended is not null)
        {
            throw new InvalidOperationException($"The run in {record.Folder.Root} has ended; start a new tracker to record more.");
        }
    }
}
