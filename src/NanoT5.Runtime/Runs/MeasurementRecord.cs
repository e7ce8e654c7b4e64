// Evaluate and predict read a run; they never change it. The run's identity files (config.resolved.json,
// summary.json, metrics.jsonl) stay as training left them, so the run still resumes and extends; each measurement is
// a record of its own inside the run folder, evaluations/<UTC time>/ or predictions/<UTC time>/, with its own config,
// summary and metrics (and predictions), kept next to the run.
using System.Globalization;
using NanoT5.Config;
using NanoT5.IO;

namespace NanoT5.Runs;

/// <summary>Where a read-only verb records what it measured.</summary>
public static class MeasurementRecord
{
    /// <summary>
    /// <paramref name="config"/> writing into a new folder <paramref name="kind"/>/&lt;UTC time&gt; of its run folder
    /// (<see cref="RunFolderLayout.EvaluationsDirectory"/> or <see cref="RunFolderLayout.PredictionsDirectory"/>).
    /// </summary>
    public static ExperimentConfig For(ExperimentConfig config, string kind, TimeProvider time)
    {
        string parent = Path.Combine(Path.GetFullPath(config.RunDirectory), kind);
        // Sortable, and a valid file name everywhere (no ':').
        string stamp = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH-mm-ss'Z'", CultureInfo.InvariantCulture);
        string folder = Path.Combine(parent, stamp);
        for (int n = 2; Directory.Exists(folder); n++)
        {
            folder = Path.Combine(parent, FormattableString.Invariant($"{stamp}-{n}"));
        }

        // The tracker's run for the record says what it is and which run it measured.
        var tags = new Dictionary<string, string>(config.Tracker.Tags, StringComparer.Ordinal)
        {
            ["nanot5.record"] = kind,
            ["nanot5.measured_run"] = Path.GetFullPath(config.RunDirectory),
        };
        return config with { RunDirectory = folder, Tracker = config.Tracker with { Tags = tags } };
    }

    /// <summary>The newest record of <paramref name="kind"/> in <paramref name="runDirectory"/>, or null when there is none.</summary>
    public static string? Latest(string runDirectory, string kind)
    {
        string parent = Path.Combine(runDirectory, kind);
        return Directory.Exists(parent)
            ? Directory.GetDirectories(parent).OrderBy(d => Path.GetFileName(d).Length).ThenBy(d => d, StringComparer.Ordinal).LastOrDefault()
            : null;
    }
}
