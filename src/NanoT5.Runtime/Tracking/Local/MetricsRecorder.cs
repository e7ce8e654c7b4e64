// The local metrics writer: appends points to metrics.jsonl and keeps each series' statistics for summary.json.
// A metric keeps its first value per step: opening replays the journal, so the steps a run resumed from a
// checkpoint repeats are recognised and ignored (warned about once) instead of recorded twice.
namespace NanoT5.Tracking.Local;

/// <summary>Writes metric points to the run's journal, once per metric and step; not thread-safe.</summary>
internal sealed class MetricsRecorder : IDisposable
{
    private readonly MetricStatistics statistics;
    private readonly RunFileWrites writes;
    private readonly TimeProvider time;
    private readonly Action<string> warn;
    private long replayedIgnored;

    private MetricsRecorder(MetricsJournal journal, MetricStatistics statistics, RunFileWrites writes, TimeProvider time, Action<string> warn)
    {
        Journal = journal;
        this.statistics = statistics;
        this.writes = writes;
        this.time = time;
        this.warn = warn;
    }

    /// <summary>metrics.jsonl, also the outbox a remote sender reads.</summary>
    public MetricsJournal Journal { get; }

    public MetricStatistics Statistics => statistics;

    /// <summary>Points not recorded because their metric already had a value at that step.</summary>
    public long ReplayedIgnored => replayedIgnored;

    /// <summary>Opens (or creates) the journal at <paramref name="path"/> and replays the points it holds.</summary>
    public static MetricsRecorder Open(string path, RunFileWrites writes, TimeProvider time, Action<string> warn)
    {
        MetricsJournal journal = MetricsJournal.Open(path);
        var statistics = new MetricStatistics();
        foreach (MetricPoint point in journal.Read(0, int.MaxValue).Points)
        {
            statistics.Add(point);
        }

        return new MetricsRecorder(journal, statistics, writes, time, warn);
    }

    /// <summary>Appends the point stamped with the current time, unless the metric already has a value at <paramref name="step"/>.</summary>
    public void Record(string name, long step, double value)
    {
        if (statistics.Contains(name, step))
        {
            if (replayedIgnored++ == 0)
            {
                warn($"{name} already has a value at step {step}; the first value is kept (steps replayed after a resume are ignored).");
            }

            return;
        }

        var point = new MetricPoint(name, step, value, time.GetUtcNow().ToUnixTimeMilliseconds());
        if (writes.Try(Journal.Path, () => Journal.Append(point)))
        {
            statistics.Add(point);
        }
    }

    /// <summary>Forces the journal to disk; a failure is recorded by <see cref="RunFileWrites"/>.</summary>
    public void FlushToDisk() => writes.Try(Journal.Path, Journal.FlushToDisk);

    public void Dispose() => Journal.Dispose();
}
