// The one list of the names a run writes in its run folder. Every writer and reader takes its names from here
// (RunFolderLayoutOwnerTests fails on a name spelled anywhere else); the names never change, so that folders
// written by earlier versions still resume.
namespace NanoT5.IO;

/// <summary>The layout of a run folder: the name of every file and folder a run writes in it.</summary>
public static class RunFolderLayout
{
    /// <summary>The experiment config the run was started with (the next start compares its settings).</summary>
    public const string ConfigFile = "config.resolved.json";

    /// <summary>Every metric point, one JSON object per line; also the outbox of the remote sender.</summary>
    public const string MetricsFile = "metrics.jsonl";

    /// <summary>Identity, status, timings, tags and last/best metric values.</summary>
    public const string SummaryFile = "summary.json";

    /// <summary>Parameters: the flattened config plus any the loop logged.</summary>
    public const string ParamsFile = "params.json";

    /// <summary>The charts of the run's metrics.</summary>
    public const string PlotsDirectory = "plots";

    /// <summary>Files the run logged as artifacts.</summary>
    public const string ArtifactsDirectory = "artifacts";

    /// <summary>The remote tracker's delivery state (<see cref="OutboxStateFile"/>, <see cref="SetAsideFile"/>).</summary>
    public const string TrackingDirectory = "tracking";

    /// <summary>In <see cref="TrackingDirectory"/>: the remote tracker's run id and what it acknowledged.</summary>
    public const string OutboxStateFile = "outbox.json";

    /// <summary>In <see cref="TrackingDirectory"/>: points and params the tracker refused for good, with the reason.</summary>
    public const string SetAsideFile = "set-aside.jsonl";

    /// <summary>The training checkpoints (step-N folders).</summary>
    public const string CheckpointsDirectory = "checkpoints";

    /// <summary>In <see cref="CheckpointsDirectory"/>: the name of the latest complete checkpoint.</summary>
    public const string LatestCheckpointFile = "latest";

    /// <summary>The model exported in HuggingFace format at the end of a run.</summary>
    public const string ModelDirectory = "model";

    /// <summary>The ONNX export of the run's model unless export.directory names another folder.</summary>
    public const string OnnxDirectory = "onnx";

    /// <summary>Per-instance predictions of the predict mode.</summary>
    public const string PredictionsFile = "predictions.jsonl";

    /// <summary>One folder per evaluate (evaluations/&lt;UTC time&gt;/): the verb's own config, summary and metrics.</summary>
    public const string EvaluationsDirectory = "evaluations";

    /// <summary>One folder per predict (predictions/&lt;UTC time&gt;/): its predictions, config, summary and metrics.</summary>
    public const string PredictionsDirectory = "predictions";

    /// <summary>The complete list of settings that made a resume refuse (RunIdentity writes it).</summary>
    public const string ResumeRefusalFile = "resume-refused.txt";

    /// <summary>Fingerprints of the tokenizer and training data a run was started with (RunInputs writes it).</summary>
    public const string InputsFile = "inputs.json";

    /// <summary>Parquet URLs downloaded for random access; emptied on every start (a kill mid-download leaves a part).</summary>
    public const string DownloadsDirectory = ".downloads";

    /// <summary>The marker that makes a folder a NanoT5 run folder (RunFolderRecord).</summary>
    public const string MarkerFile = ".nanot5-run.json";

    /// <summary>Relative paths of every file the run wrote, one a line (RunFolderRecord).</summary>
    public const string RecordFile = ".nanot5-written";

    /// <summary>Names the PID of the process holding the run folder (RunFolderLock); it is not the lock itself.</summary>
    public const string LockFile = ".nanot5.lock";
}
