// ITrackingBackend over MLflow's REST API. Opening a run is idempotent: the run carries the local run uid
// as a tag, and a retried or restarted open finds that run instead of creating a second one.
using System.Net;
using System.Text;
using NanoT5.Tracking.Remote;
using Refit;

namespace NanoT5.Tracking.MLflow;

/// <summary>Delivers runs, params, tags and metrics to an MLflow tracking server.</summary>
public sealed class MLflowBackend : ITrackingBackend
{
    /// <summary>Tag holding the local run uid (summary.json's run_uid).</summary>
    public const string RunUidTag = "nanot5.run_uid";

    // Portable MLflow limits: keys up to 250 characters; param values up to 500 on older servers (6000 on newer).
    private const int MaxKeyLength = 250;
    private const int MaxParamValueLength = 500;
    private const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";
    private const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";

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

    public int MaxMetricsPerBatch => 1000;

    public int MaxParamsPerBatch => 100;

    public async Task<string> OpenRunAsync(RemoteRunRequest request, CancellationToken cancellationToken)
    {
        string experimentId = await GetOrCreateExperimentAsync(request.Experiment, cancellationToken).ConfigureAwait(false);
        var search = new SearchRunsRequest([experimentId], $"tags.`{RunUidTag}` = '{request.RunUid}'", MaxResults: 1);
        SearchRunsResponse found = await TrackerHttp.CallAsync("search runs", token, () => api.SearchRunsAsync(search, cancellationToken)).ConfigureAwait(false);
        if (found.Runs is [MLflowRun existing, ..])
        {
            return existing.Info.RunId;
        }

        List<MLflowTag> tags = [.. request.Tags.Select(t => new MLflowTag(Key(t.Key), t.Value)), new(RunUidTag, request.RunUid), new("mlflow.runName", request.RunName)];
        var create = new CreateRunRequest(experimentId, request.RunName, request.StartTime.ToUnixTimeMilliseconds(), tags);
        RunResponse created = await TrackerHttp.CallAsync("create run", token, () => api.CreateRunAsync(create, cancellationToken)).ConfigureAwait(false);
        return created.Run.Info.RunId;
    }

    public Task LogBatchAsync(string runId, IReadOnlyList<MetricPoint> metrics, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var batch = new LogBatchRequest(
            runId,
            [.. metrics.Select(m => new MLflowMetric(Key(m.Name), m.Value, m.TimestampMs, m.Step))],
            [.. parameters.Select(p => new MLflowParam(Key(p.Key), ParamValue(p.Value)))],
            []);
        return TrackerHttp.CallAsync("log batch", token, () => api.LogBatchAsync(batch, cancellationToken));
    }

    public Task SetTagAsync(string runId, string key, string value, CancellationToken cancellationToken) =>
        TrackerHttp.CallAsync("set tag", token, () => api.SetTagAsync(new SetTagRequest(runId, Key(key), value), cancellationToken));

    public Task UpdateRunAsync(string runId, RunStatus status, DateTimeOffset? endTime, CancellationToken cancellationToken) =>
        TrackerHttp.CallAsync("update run", token, () => api.UpdateRunAsync(
            new UpdateRunRequest(runId, status.ToString().ToUpperInvariant(), endTime?.ToUnixTimeMilliseconds()), cancellationToken));

    public void Dispose() => client.Dispose();

    public override string ToString() => $"{nameof(MLflowBackend)}({Destination})";

    /// <summary>
    /// MLflow accepts letters, digits and "_-. /" in metric, param and tag keys; anything else (an SNI
    /// category with a comma, say) becomes '_'.
    /// </summary>
    internal static string Key(string name)
    {
        var key = new StringBuilder(Math.Min(name.Length, MaxKeyLength));
        foreach (char c in name.AsSpan(0, Math.Min(name.Length, MaxKeyLength)))
        {
            key.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ' ' or '/' ? c : '_');
        }

        return key.ToString();
    }

    private static string ParamValue(string value) => value.Length <= MaxParamValueLength ? value : value[..(MaxParamValueLength - 3)] + "...";

    private async Task<string> GetOrCreateExperimentAsync(string name, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                GetExperimentResponse got = await TrackerHttp.CallAsync("get experiment", token, () => api.GetExperimentByNameAsync(name, cancellationToken)).ConfigureAwait(false);
                return got.Experiment.ExperimentId;
            }
            catch (TrackerRequestException e) when (e.ErrorCode == ResourceDoesNotExist || e.StatusCode == HttpStatusCode.NotFound)
            {
            }

            try
            {
                CreateExperimentResponse created = await TrackerHttp.CallAsync("create experiment", token, () => api.CreateExperimentAsync(new CreateExperimentRequest(name), cancellationToken)).ConfigureAwait(false);
                return created.ExperimentId;
            }
            catch (TrackerRequestException e) when (e.ErrorCode == ResourceAlreadyExists && attempt == 0)
            {
                // Another client created it between our get and create: read it again.
            }
        }
    }
}
