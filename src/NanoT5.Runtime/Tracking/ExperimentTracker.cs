// The tracker the training loops use: a durable local record of the run (config, params, metrics journal,
// summary, plots, artifacts) and, when configured, a background outbox sender to a remote tracker.
// Starting on a folder that already holds a run resumes it: same run uid, same remote run, and metric
// points already recorded are kept (a replayed step after a checkpoint resume is ignored).
// Once training runs, a failed write of the run's own files (disk full, a file made read-only) never throws
// into the loop: it is reported once, naming the file, and WriteFailedToken asks the loop to checkpoint and stop.
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
    private readonly RunFolder folder;
    private readonly TimeProvider time;
    private readonly TimeSpan drainBudget;
    private readonly MetricsJournal journal;
    private readonly MetricStatistics statistics;
    private readonly ArtifactStore artifacts;
    private readonly TrackerLog log;
    private readonly SortedDictionary<string, string> runParams;
    private readonly SortedDictionary<string, string> tags;
    private readonly ITrackingBackend? backend;
    private readonly OutboxSender? sender;
    private readonly CancellationTokenSource writeFailed = new();
    private string? writeFailure;
    private RunSummary summary;
    private int runDataVersion;
    private long replayedIgnored;
    private Task<TrackingReport>? ended;

    private ExperimentTracker(ExperimentConfig config, TrackerOptions options)
    {
        folder = new RunFolder(config.RunDirectory);
        time = options.Time;
        drainBudget = TimeSpan.FromSeconds(config.Tracker.DrainSeconds);
        Directory.CreateDirectory(folder.Root);
        ExperimentConfigJson.Save(config, folder.ConfigFile);

        TrackerToken? token = config.Tracker.Kind == TrackerKind.None && options.Backend is null
            ? null
            : TrackerToken.FromEnvironment(config.Tracker.TokenVariable, options.Environment);
        log = new TrackerLog(options.Log ?? Console.Error, token);
        if (token is not null && !TrackerToken.NameSaysTracker(config.Tracker.TokenVariable))
        {
            log.Warn(
                $"WARNING: the value of {config.Tracker.TokenVariable} is sent as a bearer token to {config.Tracker.Url ?? "the tracker"}, but that name does not say it is a tracker's token " +
                $"(tracker.token_variable). If it is another secret, stop this run; name a variable whose name contains {string.Join(", ", TrackerToken.TrackerWords)}.");
        }
        artifacts = new ArtifactStore(folder.ArtifactsDirectory);
        backend = options.Backend ?? TrackingBackends.Create(config.Tracker, token);

        journal = MetricsJournal.Open(folder.MetricsFile);
        statistics = new MetricStatistics();
        foreach (MetricPoint point in journal.Read(0, int.MaxValue).Points)
        {
            statistics.Add(point);
        }

        DateTimeOffset now = time.GetUtcNow();
        RunSummary? previous = TrackingJson.TryLoad<RunSummary>(folder.SummaryFile);
        tags = new SortedDictionary<string, string>(new Dictionary<string, string>(previous?.Tags ?? new Dictionary<string, string>()), StringComparer.Ordinal);
        foreach ((string key, string value) in config.Tracker.Tags.Concat(options.Tags))
        {
            tags[key] = value;
        }

        summary = new RunSummary
        {
            Name = config.Name,
            RunUid = previous?.RunUid ?? Guid.NewGuid().ToString("N"),
            Status = RunStatus.Running,
            StartedAt = previous?.StartedAt ?? now,
            ResumedAt = now,
            Starts = (previous?.Starts ?? 0) + 1,
            GitCommit = GitCommit.Find(options.SourceDirectory ?? Directory.GetCurrentDirectory()),
        };

        runParams = new SortedDictionary<string, string>(TrackingJson.TryLoad<Dictionary<string, string>>(folder.ParamsFile) ?? [], StringComparer.Ordinal);
        AddParams(ConfigParams.Flatten(config));
        WriteSummary();

        if (backend is not null)
        {
            Dictionary<string, string> remoteTags = new(tags);
            if (summary.GitCommit is not null)
            {
                remoteTags["mlflow.source.git.commit"] = summary.GitCommit;
            }

            var request = new RemoteRunRequest(config.Tracker.Experiment ?? config.Name, config.Name, summary.RunUid, summary.StartedAt, remoteTags);
            sender = new OutboxSender(backend, journal, folder, request, RunDataSnapshot, options.Delivery ?? DeliveryOptions.From(config.Tracker), time, log);
            sender.Start();
        }
    }

    public string RunDirectory => folder.Root;

    /// <summary>The first failed write of a run file ("could not write PATH: reason"), or null while all writes succeed.</summary>
    public string? WriteFailure => Volatile.Read(ref writeFailure);

    /// <summary>Cancelled at the first failed write; the training loop links it to its stop request.</summary>
    public CancellationToken WriteFailedToken => writeFailed.Token;

    /// <summary>The run's stable id (also in summary.json and as a tag of the remote run).</summary>
    public string RunUid => summary.RunUid;

    /// <summary>
    /// Starts (or resumes) tracking the run of <paramref name="config"/> in its RunDirectory: writes
    /// config.resolved.json, params.json and summary.json, and starts the remote sender when configured.
    /// Touches no network on the calling thread.
    /// </summary>
    public static ExperimentTracker Start(ExperimentConfig config, TrackerOptions? options = null) => new(config, options ?? new TrackerOptions());

    public void LogParams(IReadOnlyDictionary<string, string> parameters)
    {
        lock (gate)
        {
            ThrowIfEnded();
            Guarded(folder.ParamsFile, () => AddParams(parameters));
        }
    }

    public void SetTag(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        lock (gate)
        {
            ThrowIfEnded();
            if (!tags.TryGetValue(key, out string? old) || old != value)
            {
                tags[key] = value;
                runDataVersion++;
                summary = summary with { Tags = new Dictionary<string, string>(tags) };
            }
        }
    }

    public void LogMetric(string name, long step, double value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (gate)
        {
            ThrowIfEnded();
            if (statistics.Contains(name, step))
            {
                if (replayedIgnored++ == 0)
                {
                    log.Warn($"{name} already has a value at step {step}; the first value is kept (steps replayed after a resume are ignored).");
                }

                return;
            }

            var point = new MetricPoint(name, step, value, time.GetUtcNow().ToUnixTimeMilliseconds());
            if (Guarded(folder.MetricsFile, () => journal.Append(point)))
            {
                statistics.Add(point);
            }
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
            Guarded(folder.MetricsFile, journal.FlushToDisk);
            Guarded(folder.SummaryFile, WriteSummary);
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

    public override string ToString() => $"{nameof(ExperimentTracker)}({folder.Root}, {summary.Status})";

    private async Task<TrackingReport> EndCoreAsync(RunStatus status, CancellationToken cancellationToken)
    {
        DateTimeOffset endTime = time.GetUtcNow();
        Guarded(folder.MetricsFile, journal.FlushToDisk);
        Task<long> drain = sender?.DrainAsync(status, endTime, drainBudget, cancellationToken) ?? Task.FromResult(0L);
        IReadOnlyList<PlotFile> plots = DrawPlots();
        long pending = await drain.ConfigureAwait(false);
        OutboxState? delivery = sender?.State;
        lock (gate)
        {
            summary = summary with
            {
                Status = status,
                EndedAt = endTime,
                Remote = sender is null ? null : new RemoteSummary(sender.Destination, delivery!.RunId, delivery.AcknowledgedPoints, pending, delivery.SetAsidePoints),
            };
            Guarded(folder.SummaryFile, WriteSummary);
        }

        journal.Dispose();
        if (sender is not null)
        {
            await sender.DisposeAsync().ConfigureAwait(false);
        }

        backend?.Dispose();
        writeFailed.Dispose();
        var report = new TrackingReport
        {
            Status = status,
            RunDirectory = folder.Root,
            Points = statistics.Points,
            ReplayedPointsIgnored = replayedIgnored,
            Plots = plots,
            RemoteRunId = delivery?.RunId,
            DeliveredPoints = delivery?.AcknowledgedPoints ?? 0,
            PendingPoints = pending,
            SetAsidePoints = delivery?.SetAsidePoints ?? 0,
            Warnings = log.Warnings,
        };
        return report;
    }

    // Plots are a convenience: a rendering failure (a missing native library, say) is reported, not fatal.
    private IReadOnlyList<PlotFile> DrawPlots()
    {
        try
        {
            return RunPlots.Draw(folder.PlotsDirectory, summary.Name, MetricsJournal.ReadAll(folder.MetricsFile));
        }
#pragma warning disable CA1031 // Any failure to draw must leave the run's outcome and metrics untouched.
        catch (Exception e)
#pragma warning restore CA1031
        {
            log.Warn($"plots not drawn: {e.GetType().Name}: {e.Message}");
            return [];
        }
    }

    private void AddParams(IReadOnlyDictionary<string, string> values)
    {
        bool changed = false;
        foreach ((string key, string value) in values)
        {
            if (!runParams.TryGetValue(key, out string? old))
            {
                runParams[key] = value;
                changed = true;
            }
            else if (old != value)
            {
                log.Warn($"param {key} keeps its first value '{old}' (trackers refuse to change a param; got '{value}').");
            }
        }

        if (changed)
        {
            runDataVersion++;
            TrackingJson.Save(folder.ParamsFile, runParams);
        }
    }

    private RunData RunDataSnapshot()
    {
        lock (gate)
        {
            return new RunData(runDataVersion, [.. runParams], [.. tags]);
        }
    }

    private void WriteSummary()
    {
        DateTimeOffset end = summary.EndedAt ?? time.GetUtcNow();
        summary = summary with
        {
            Tags = new Dictionary<string, string>(tags),
            WallSeconds = (end - summary.StartedAt).TotalSeconds,
            LastStep = statistics.LastStep,
            Points = statistics.Points,
            Metrics = statistics.Summaries(),
        };
        TrackingJson.Save(folder.SummaryFile, summary);
    }

    // Runs a write of a run file; a failure is recorded (the first one reported and signalled) instead of thrown.
    private bool Guarded(string file, Action write)
    {
        try
        {
            write();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            if (Interlocked.CompareExchange(ref writeFailure, $"could not write {file}: {e.Message}", null) is null)
            {
                log.Warn($"{writeFailure}; the run checkpoints and stops.");
                writeFailed.Cancel();
            }

            return false;
        }
    }

    private void ThrowIfEnded()
    {
        if (ended is not null)
        {
            throw new InvalidOperationException($"The run in {folder.Root} has ended; start a new tracker to record more.");
        }
    }
}
