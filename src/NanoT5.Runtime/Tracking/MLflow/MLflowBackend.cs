// ITrackingBackend over MLflow's REST API. Opening a run is idempotent: the run carries the local run uid
// as a tag, and a retried or restarted open finds that run instead of creating a second one. A reply
// without the fields the runtime needs (a "{}" from a stub or a misrouted proxy) is an unusable body,
// reported as such and retried, never a NullReferenceException.
using System.Net;
using NanoT5.Tracking.Remote;
using Refit;

namespace NanoT5.Tracking.MLflow;

/// <summary>Delivers runs, params, tags and metrics to an MLflow tracking server.</summary>
public sealed class MLflowBackend : ITrackingBackend
{
    /// <summary>Tag holding the local run uid (summary.json's run_uid).</summary>
    public const string RunUidTag = "nanot5.run_uid";

    private const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";
    private const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";

    // get-history page size: servers that page (MLflow 2.12+) take up to 25000; older ones return everything.
    private const int HistoryPage = 25000;

    private readonly HttpClient client;
    private readonly IMLflowApi api;
    private readonly TrackerToken? token;

    public MLflowBackend(Uri baseUrl, TrackerToken? token)
    {
        client = TrackerHttp.CreateClient(baseUrl, token);
        api = RestService.For<IMLflowApi>(client, TrackerHttp.CreateRefitSettings());
        this.token = token;
        Destination = $"mlflow {baseUrl}";
    }

    public string Destination { get; }

    /// <summary>
    /// The server takes 1000, but the SQL store's duplicate check reads the history of the first 100 entries'
    /// keys only: a resent batch of more than 100 can fail with "UNIQUE constraint failed", one of 100 cannot.
    /// </summary>
    public int MaxMetricsPerBatch => 100;

    /// <summary>MAX_PARAMS_TAGS_PER_BATCH.</summary>
    public int MaxParamsPerBatch => 100;

    /// <summary>MAX_PARAM_VAL_LENGTH (MLflow 2.x and 3.x; servers before 1.28 took 500).</summary>
    public int MaxParamValueLength => 6000;

    /// <summary>MAX_TAG_VAL_LENGTH.</summary>
    public int MaxTagValueLength => 5000;

    public string RemoteKey(string name) => MLflowKeys.Of(name);

    public async Task<string> OpenRunAsync(RemoteRunRequest request, CancellationToken cancellationToken)
    {
        string experimentId = await GetOrCreateExperimentAsync(request.Experiment, cancellationToken).ConfigureAwait(false);
        var search = new SearchRunsRequest([experimentId], $"tags.`{RunUidTag}` = '{request.RunUid}'", MaxResults: 1);
        SearchRunsResponse found = await TrackerHttp.CallAsync("search runs", token, () => api.SearchRunsAsync(search, cancellationToken)).ConfigureAwait(false);
        if (found?.Runs is [MLflowRun existing, ..])
        {
            return Required(existing.Info?.RunId, "search runs", "runs[0].info.run_id");
        }

        List<MLflowTag> tags = [.. request.Tags.Select(t => new MLflowTag(RemoteKey(t.Key), t.Value)), new(RunUidTag, request.RunUid), new("mlflow.runName", request.RunName)];
        if (request.GitCommit is string commit)
        {
            tags.Add(new MLflowTag("mlflow.source.git.commit", commit));
        }

        var create = new CreateRunRequest(experimentId, request.RunName, request.StartTime.ToUnixTimeMilliseconds(), tags);
        RunResponse created = await TrackerHttp.CallAsync("create run", token, () => api.CreateRunAsync(create, cancellationToken)).ConfigureAwait(false);
        return Required(created?.Run?.Info?.RunId, "create run", "run.info.run_id");
    }

    public Task LogBatchAsync(string runId, IReadOnlyList<MetricPoint> metrics, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var batch = new LogBatchRequest(
            runId,
            [.. metrics.Select(m => new MLflowMetric(RemoteKey(m.Name), m.Value, m.TimestampMs, m.Step))],
            [.. parameters.Select(p => new MLflowParam(RemoteKey(p.Key), p.Value))],
            []);
        return TrackerHttp.CallAsync("log batch", token, () => api.LogBatchAsync(batch, cancellationToken));
    }

    public async Task<IReadOnlyList<MetricPoint>> GetHistoryAsync(string runId, string name, CancellationToken cancellationToken)
    {
        string key = RemoteKey(name);
        var points = new List<MetricPoint>();
        string? page = null;
        do
        {
            string? current = page;
            MetricHistoryResponse history = await TrackerHttp.CallAsync("get metric history", token,
                () => api.GetMetricHistoryAsync(runId, key, HistoryPage, current, cancellationToken)).ConfigureAwait(false);
            points.AddRange((history?.Metrics ?? []).Select(m => new MetricPoint(name, m.Step, m.Value, m.Timestamp)));
            page = string.IsNullOrEmpty(history?.NextPageToken) ? null : history.NextPageToken;
        }
        while (page is not null);

        return points;
    }

    public Task SetTagAsync(string runId, string key, string value, CancellationToken cancellationToken) =>
        TrackerHttp.CallAsync("set tag", token, () => api.SetTagAsync(new SetTagRequest(runId, RemoteKey(key), value), cancellationToken));

    public Task UpdateRunAsync(string runId, RunStatus status, DateTimeOffset? endTime, CancellationToken cancellationToken) =>
        TrackerHttp.CallAsync("update run", token, () => api.UpdateRunAsync(
            new UpdateRunRequest(runId, status.ToString().ToUpperInvariant(), endTime?.ToUnixTimeMilliseconds()), cancellationToken));

    public void Dispose() => client.Dispose();

    public override string ToString() => $"{nameof(MLflowBackend)}({Destination})";

    private string Required(string? value, string operation, string field) =>
        string.IsNullOrEmpty(value) ? throw TrackerResponseException.Missing(operation, field, token) : value;

    private async Task<string> GetOrCreateExperimentAsync(string name, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                GetExperimentResponse got = await TrackerHttp.CallAsync("get experiment", token, () => api.GetExperimentByNameAsync(name, cancellationToken)).ConfigureAwait(false);
                return Required(got?.Experiment?.ExperimentId, "get experiment", "experiment.experiment_id");
            }
            catch (TrackerRequestException e) when (e.ErrorCode == ResourceDoesNotExist || e.StatusCode == HttpStatusCode.NotFound)
            {
            }

            try
            {
                CreateExperimentResponse created = await TrackerHttp.CallAsync("create experiment", token, () => api.CreateExperimentAsync(new CreateExperimentRequest(name), cancellationToken)).ConfigureAwait(false);
                return Required(created?.ExperimentId, "create experiment", "experiment_id");
            }
            catch (TrackerRequestException e) when (e.ErrorCode == ResourceAlreadyExists && attempt == 0)
            {
                // Another client created it between our get and create: read it again.
            }
        }
    }
}
