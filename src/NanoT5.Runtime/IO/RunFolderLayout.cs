// Names inside a run folder that more than one part of the runtime reads or writes.
namespace NanoT5.IO;

/// <summary>The layout of a run folder.</summary>
public static class RunFolderLayout
{
    /// <summary>The model exported in HuggingFace format at the end of a run.</summary>
    public const string ModelDirectory = "model";

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
}
