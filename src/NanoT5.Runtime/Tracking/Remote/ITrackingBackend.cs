// The seam between delivery (outbox, retries, circuit breaker) and one tracker's API. MLflow is one
// implementation (a Refit interface + adapter); a Neptune backend would be another pair: INeptuneApi with
// its endpoints and a NeptuneBackend mapping these five operations onto them. Delivery does not change.
namespace NanoT5.Tracking.Remote;

/// <summary>What a remote tracker must offer; calls may throw <see cref="TrackerRequestException"/>, HttpRequestException or be cancelled.</summary>
public interface ITrackingBackend : IDisposable
{
    /// <summary>Where points go, e.g. "mlflow http://host:5000 experiment 'pretrain'"; a change of destination restarts delivery.</summary>
    string Destination { get; }

    /// <summary>Most metric points one <see cref="LogBatchAsync"/> may carry.</summary>
    int MaxMetricsPerBatch { get; }

    /// <summary>Most parameters one <see cref="LogBatchAsync"/> may carry.</summary>
    int MaxParamsPerBatch { get; }

    /// <summary>
    /// The remote run of <paramref name="request"/>: the one already tagged with its RunUid, else a new one.
    /// Must be safe to repeat (a retried call must not create a second run).
    /// </summary>
    Task<string> OpenRunAsync(RemoteRunRequest request, CancellationToken cancellationToken);

    /// <summary>Records metric points and parameters; resending an identical point must not duplicate it.</summary>
    Task LogBatchAsync(string runId, IReadOnlyList<MetricPoint> metrics, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken);

    /// <summary>Sets (or overwrites) one tag of the run.</summary>
    Task SetTagAsync(string runId, string key, string value, CancellationToken cancellationToken);

    /// <summary>Sets the run's status; <paramref name="endTime"/> is given when the run ended.</summary>
    Task UpdateRunAsync(string runId, RunStatus status, DateTimeOffset? endTime, CancellationToken cancellationToken);
}

/// <summary>What identifies and describes a run on the tracker.</summary>
public sealed record RemoteRunRequest(string Experiment, string RunName, string RunUid, DateTimeOffset StartTime, IReadOnlyDictionary<string, string> Tags);
