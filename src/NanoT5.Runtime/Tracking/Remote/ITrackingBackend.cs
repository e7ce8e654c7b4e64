// The seam between delivery (outbox, retries, circuit breaker) and one tracker's API. MLflow is one
// implementation (a Refit interface + adapter); a Neptune backend would be another pair: INeptuneApi with
// its endpoints and a NeptuneBackend mapping these operations onto them. Delivery does not change.
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

    /// <summary>Longest parameter value the tracker stores (characters); longer ones are cut with a marker.</summary>
    int MaxParamValueLength { get; }

    /// <summary>Longest tag value the tracker stores (characters); longer ones are cut with a marker.</summary>
    int MaxTagValueLength { get; }

    /// <summary>
    /// The key the tracker stores <paramref name="name"/> under (characters it refuses replaced). Two names
    /// with one key would merge on the tracker: delivery refuses the second.
    /// </summary>
    string RemoteKey(string name);

    /// <summary>
    /// The points stored under <paramref name="name"/>'s key in the run (every copy), so delivery can send only
    /// what the tracker does not hold yet after a send whose outcome it could not see.
    /// </summary>
    Task<IReadOnlyList<MetricPoint>> GetHistoryAsync(string runId, string name, CancellationToken cancellationToken);

    /// <summary>
    /// The remote run of <paramref name="request"/>: the one already tagged with its RunUid, else a new one.
    /// Must be safe to repeat (a retried call must not create a second run).
    /// </summary>
    Task<string> OpenRunAsync(RemoteRunRequest request, CancellationToken cancellationToken);

    /// <summary>Records metric points and parameters (a resent point may be stored twice: delivery checks first).</summary>
    Task LogBatchAsync(string runId, IReadOnlyList<MetricPoint> metrics, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken);

    /// <summary>Sets (or overwrites) one tag of the run.</summary>
    Task SetTagAsync(string runId, string key, string value, CancellationToken cancellationToken);

    /// <summary>Sets the run's status; <paramref name="endTime"/> is given when the run ended.</summary>
    Task UpdateRunAsync(string runId, RunStatus status, DateTimeOffset? endTime, CancellationToken cancellationToken);
}

/// <summary>
/// What identifies and describes a run on the tracker; <paramref name="GitCommit"/> (the source's commit, null outside a
/// git checkout) is given to the backend to record in its own vocabulary (MLflow: the mlflow.source.git.commit tag).
/// </summary>
public sealed record RemoteRunRequest(string Experiment, string RunName, string RunUid, DateTimeOffset StartTime, IReadOnlyDictionary<string, string> Tags, string? GitCommit = null);
