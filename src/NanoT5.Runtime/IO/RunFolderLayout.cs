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

    /// <summary>Parquet URLs downloaded for random access; emptied on every start (a kill mid-download leaves a part).</summary>
    public const string DownloadsDirectory = ".downloads";

    /// <summary>What a run writes into its folder; starting over (checkpoint.resume false) deletes these.</summary>
    public static readonly IReadOnlyList<string> RunEntries =
    [
        "checkpoints", ModelDirectory, "plots", "artifacts", "tracking", "metrics.jsonl", "summary.json", "params.json",
        "config.resolved.json", PredictionsFile, ResumeRefusalFile, EvaluationsDirectory, PredictionsDirectory,
    ];

    /// <summary>Deletes the entries of <see cref="RunEntries"/> present in <paramref name="runDirectory"/>; returns their names.</summary>
    public static IReadOnlyList<string> DeleteEarlierRun(string runDirectory)
    {
        var removed = new List<string>();
        foreach (string entry in RunEntries)
        {
            string path = Path.Combine(runDirectory, entry);
            var info = new FileInfo(path);
            if (info.LinkTarget is not null || File.Exists(path))
            {
                // A link is removed itself; what it points at is not the run's to delete.
                File.Delete(path);
            }
            else if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                continue;
            }

            removed.Add(entry);
        }

        return removed;
    }
}
