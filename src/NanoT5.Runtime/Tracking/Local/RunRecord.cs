// The local record of a run in its folder: config.resolved.json, params.json, metrics.jsonl and summary.json.
// Opening a folder that already holds a run resumes it: same run uid and start time, the params and tags it had,
// and the points already recorded (their steps are not recorded again). After opening, a failed write never throws
// (RunFileWrites); summary.json is rewritten at every Flush and at the end.
using NanoT5.Config;

namespace NanoT5.Tracking.Local;

/// <summary>The run's files and what they say: identity, status, params, tags and metrics; thread-safe.</summary>
internal sealed class RunRecord : IDisposable
{
    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly MetricsRecorder metrics;
    private readonly RunParamsAndTags paramsAndTags;
    private RunSummary summary;

    private RunRecord(RunFolder folder, TimeProvider time, RunFileWrites writes, MetricsRecorder metrics, RunParamsAndTags paramsAndTags, RunSummary summary)
    {
        Folder = folder;
        this.time = time;
        Writes = writes;
        this.metrics = metrics;
        this.paramsAndTags = paramsAndTags;
        this.summary = summary;
    }

    public RunFolder Folder { get; }

    /// <summary>The writes of the run's files and their first failure.</summary>
    public RunFileWrites Writes { get; }

    /// <summary>metrics.jsonl, also the outbox a remote sender reads.</summary>
    public MetricsJournal Journal => metrics.Journal;

    public string Name => summary.Name;

    public string RunUid => summary.RunUid;

    /// <summary>When the run was first started (a resumed run keeps it).</summary>
    public DateTimeOffset StartedAt => summary.StartedAt;

    public string? GitCommit => summary.GitCommit;

    public RunStatus Status => summary.Status;

    public long Points => metrics.Statistics.Points;

    public long ReplayedPointsIgnored => metrics.ReplayedIgnored;

    /// <summary>Creates the run folder and writes config.resolved.json, the config the run was started with.</summary>
    public static void SaveConfig(RunFolder folder, ExperimentConfig config)
    {
        Directory.CreateDirectory(folder.Root);
        ExperimentConfigJson.Save(config, folder.ConfigFile);
    }

    /// <summary>
    /// Opens the record in <paramref name="folder"/> (after <see cref="SaveConfig"/>): replays metrics.jsonl, reads what an
    /// earlier start left in summary.json and params.json, finds the git commit of <paramref name="sourceDirectory"/>,
    /// adds the config's params and writes params.json and summary.json.
    /// </summary>
    public static RunRecord Open(RunFolder folder, ExperimentConfig config, IEnumerable<KeyValuePair<string, string>> extraTags, string sourceDirectory,
        TimeProvider time, Action<string> warn)
    {
        var writes = new RunFileWrites(warn);
        MetricsRecorder metrics = MetricsRecorder.Open(folder.MetricsFile, writes, time, warn);
        try
        {
            DateTimeOffset now = time.GetUtcNow();
            RunSummary? previous = TrackingJson.TryLoad<RunSummary>(folder.SummaryFile);
            var tags = new Dictionary<string, string>(previous?.Tags ?? new Dictionary<string, string>());
            foreach ((string key, string value) in config.Tracker.Tags.Concat(extraTags))
            {
                tags[key] = value;
            }

            var summary = new RunSummary
            {
                Name = config.Name,
                RunUid = previous?.RunUid ?? Guid.NewGuid().ToString("N"),
                Status = RunStatus.Running,
                StartedAt = previous?.StartedAt ?? now,
                ResumedAt = now,
                Starts = (previous?.Starts ?? 0) + 1,
                GitCommit = Local.GitCommit.Find(sourceDirectory),
            };

            var paramsAndTags = new RunParamsAndTags(folder.ParamsFile, TrackingJson.TryLoad<Dictionary<string, string>>(folder.ParamsFile) ?? [], tags, warn);
            paramsAndTags.AddParams(ConfigParams.Flatten(config));
            var record = new RunRecord(folder, time, writes, metrics, paramsAndTags, summary);
            record.WriteSummary();
            return record;
        }
        catch
        {
            metrics.Dispose();
            writes.Dispose();
            throw;
        }
    }

    /// <summary>A copy of the run's tags.</summary>
    public Dictionary<string, string> Tags()
    {
        lock (gate)
        {
            return paramsAndTags.Tags;
        }
    }

    /// <summary>The params and tags with their version, for a remote tracker to mirror.</summary>
    public (int Version, IReadOnlyList<KeyValuePair<string, string>> Params, IReadOnlyList<KeyValuePair<string, string>> Tags) ParamsAndTags()
    {
        lock (gate)
        {
            return paramsAndTags.Snapshot();
        }
    }

    public void LogParams(IReadOnlyDictionary<string, string> parameters)
    {
        lock (gate)
        {
            Writes.Try(Folder.ParamsFile, () => paramsAndTags.AddParams(parameters));
        }
    }

    public void SetTag(string key, string value)
    {
        lock (gate)
        {
            if (paramsAndTags.SetTag(key, value))
            {
                summary = summary with { Tags = paramsAndTags.Tags };
            }
        }
    }

    public void LogMetric(string name, long step, double value)
    {
        lock (gate)
        {
            metrics.Record(name, step, value);
        }
    }

    /// <summary>Forces metrics to disk and rewrites summary.json.</summary>
    public void Flush()
    {
        lock (gate)
        {
            metrics.FlushToDisk();
            Writes.Try(Folder.SummaryFile, WriteSummary);
        }
    }

    /// <summary>Forces metrics to disk (safe beside the other calls: the journal's appends and fsync do not race).</summary>
    public void FlushMetrics() => metrics.FlushToDisk();

    /// <summary>Writes the final summary.json: the outcome, when it ended and what the remote tracker received.</summary>
    public void End(RunStatus status, DateTimeOffset endTime, RemoteSummary? remote)
    {
        lock (gate)
        {
            summary = summary with { Status = status, EndedAt = endTime, Remote = remote };
            Writes.Try(Folder.SummaryFile, WriteSummary);
        }
    }

    public void Dispose()
    {
        metrics.Dispose();
        Writes.Dispose();
    }

    private void WriteSummary()
    {
        DateTimeOffset end = summary.EndedAt ?? time.GetUtcNow();
        summary = summary with
        {
            Tags = paramsAndTags.Tags,
            WallSeconds = (end - summary.StartedAt).TotalSeconds,
            LastStep = metrics.Statistics.LastStep,
            Points = metrics.Statistics.Points,
            Metrics = metrics.Statistics.Summaries(),
        };
        TrackingJson.Save(Folder.SummaryFile, summary);
    }
}
