// The MLflow tracking REST endpoints NanoT5 uses, as a Refit interface (Refit generates the client).
using Refit;

namespace NanoT5.Tracking.MLflow;

/// <summary>MLflow tracking server, REST API 2.0.</summary>
public interface IMLflowApi
{
    /// <summary>404 RESOURCE_DOES_NOT_EXIST when there is no such experiment.</summary>
    [Get("/api/2.0/mlflow/experiments/get-by-name")]
    Task<GetExperimentResponse> GetExperimentByNameAsync([AliasAs("experiment_name")] string experimentName, CancellationToken cancellationToken);

    /// <summary>400 RESOURCE_ALREADY_EXISTS when another client created it first.</summary>
    [Post("/api/2.0/mlflow/experiments/create")]
    Task<CreateExperimentResponse> CreateExperimentAsync([Body] CreateExperimentRequest request, CancellationToken cancellationToken);

    [Post("/api/2.0/mlflow/runs/create")]
    Task<RunResponse> CreateRunAsync([Body] CreateRunRequest request, CancellationToken cancellationToken);

    [Post("/api/2.0/mlflow/runs/search")]
    Task<SearchRunsResponse> SearchRunsAsync([Body] SearchRunsRequest request, CancellationToken cancellationToken);

    /// <summary>At most 1000 metrics, 100 params and 100 tags per request.</summary>
    [Post("/api/2.0/mlflow/runs/log-batch")]
    Task LogBatchAsync([Body] LogBatchRequest request, CancellationToken cancellationToken);

    /// <summary>Every stored point of one metric key; newer servers page it (max_results, next_page_token).</summary>
    [Get("/api/2.0/mlflow/metrics/get-history")]
    Task<MetricHistoryResponse> GetMetricHistoryAsync([AliasAs("run_id")] string runId, [AliasAs("metric_key")] string metricKey,
        [AliasAs("max_results")] int maxResults, [AliasAs("page_token")] string? pageToken, CancellationToken cancellationToken);

    [Post("/api/2.0/mlflow/runs/set-tag")]
    Task SetTagAsync([Body] SetTagRequest request, CancellationToken cancellationToken);

    [Post("/api/2.0/mlflow/runs/update")]
    Task UpdateRunAsync([Body] UpdateRunRequest request, CancellationToken cancellationToken);
}
