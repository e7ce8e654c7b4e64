// Ranks other than 0 train the same model on other rows but record nothing: rank 0 alone writes the run
// folder's metrics, summary and plots, so the record is the same at any world size.
using NanoT5.Tracking;

namespace NanoT5.Distributed;

/// <summary>The tracker of a non-root rank: accepts every call, writes nothing.</summary>
internal sealed class PeerTracker(string runDirectory, int rank) : IExperimentTracker
{
    public string RunDirectory { get; } = runDirectory;

    public void LogParams(IReadOnlyDictionary<string, string> parameters)
    {
    }

    public void SetTag(string key, string value)
    {
    }

    public void LogMetric(string name, long step, double value)
    {
    }

    public void LogMetrics(long step, IReadOnlyDictionary<string, double> values)
    {
    }

    public string LogText(string name, string text) => Path.Combine(RunDirectory, name);

    public string LogFile(string sourcePath, string? name = null) => Path.Combine(RunDirectory, name ?? Path.GetFileName(sourcePath));

    public void Flush()
    {
    }

    public Task<TrackingReport> EndAsync(RunStatus status, CancellationToken cancellationToken = default) =>
        Task.FromResult(new TrackingReport { Status = status, RunDirectory = RunDirectory, Warnings = [$"rank {rank} records nothing; rank 0 writes the run folder"] });

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
