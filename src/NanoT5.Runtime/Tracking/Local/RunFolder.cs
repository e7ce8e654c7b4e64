// The layout of a run folder (ExperimentConfig.RunDirectory) as far as tracking is concerned.
namespace NanoT5.Tracking.Local;

/// <summary>Paths of the files tracking keeps in a run folder.</summary>
public sealed record RunFolder(string Root)
{
    /// <summary>The experiment config the run was started with.</summary>
    public string ConfigFile => Path.Combine(Root, "config.resolved.json");

    /// <summary>Every metric point, one JSON object per line; also the outbox of the remote sender.</summary>
    public string MetricsFile => Path.Combine(Root, "metrics.jsonl");

    /// <summary>Identity, status, timings, tags and last/best metric values.</summary>
    public string SummaryFile => Path.Combine(Root, "summary.json");

    /// <summary>Parameters: the flattened config plus any the loop logged.</summary>
    public string ParamsFile => Path.Combine(Root, "params.json");

    public string PlotsDirectory => Path.Combine(Root, "plots");

    public string ArtifactsDirectory => Path.Combine(Root, "artifacts");

    /// <summary>Delivery state of the remote tracker: its run id and what it acknowledged.</summary>
    public string OutboxStateFile => Path.Combine(Root, "tracking", "outbox.json");

    /// <summary>Points and params the tracker refused for good, one JSON object per line with the reason.</summary>
    public string SetAsideFile => Path.Combine(Root, "tracking", "set-aside.jsonl");
}
