// Request and response bodies of the MLflow tracking REST API (/api/2.0/mlflow/...), as documented in
// MLflow's REST API reference. Property names become snake_case on the wire.
namespace NanoT5.Tracking.MLflow;

public sealed record MLflowTag(string Key, string Value);

public sealed record MLflowParam(string Key, string Value);

/// <summary>A metric point; the SQL store keys it by (key, step, timestamp, value, is_nan), the file store keeps every copy.</summary>
public sealed record MLflowMetric(string Key, double Value, long Timestamp, long Step);

public sealed record MLflowExperiment(string ExperimentId, string? Name);

public sealed record GetExperimentResponse(MLflowExperiment Experiment);

public sealed record CreateExperimentRequest(string Name);

public sealed record CreateExperimentResponse(string ExperimentId);

public sealed record CreateRunRequest(string ExperimentId, string RunName, long StartTime, IReadOnlyList<MLflowTag> Tags);

public sealed record MLflowRunInfo(string RunId, string? Status);

public sealed record MLflowRun(MLflowRunInfo Info);

public sealed record RunResponse(MLflowRun Run);

public sealed record SearchRunsRequest(IReadOnlyList<string> ExperimentIds, string Filter, int MaxResults);

public sealed record SearchRunsResponse(IReadOnlyList<MLflowRun>? Runs);

public sealed record LogBatchRequest(string RunId, IReadOnlyList<MLflowMetric> Metrics, IReadOnlyList<MLflowParam> Params, IReadOnlyList<MLflowTag> Tags);

public sealed record SetTagRequest(string RunId, string Key, string Value);

public sealed record UpdateRunRequest(string RunId, string Status, long? EndTime);

/// <summary>get-history's reply: "{}" when the key has no points.</summary>
public sealed record MetricHistoryResponse(IReadOnlyList<MLflowMetric>? Metrics, string? NextPageToken);
