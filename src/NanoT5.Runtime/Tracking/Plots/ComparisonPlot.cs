// Several runs' curves of one metric on one figure: nanoT5's Adafactor-vs-AdamW, ISR-vs-cosine picture.
// Used by the `compare` verb and callable from a sweep.
using NanoT5.Tracking.Local;

namespace NanoT5.Tracking.Plots;

/// <summary>Draws a metric of several run folders on one figure.</summary>
public static class ComparisonPlot
{
    /// <summary>
    /// Writes <paramref name="outputPath"/> with one line per run folder (labelled by the folder name) of
    /// <paramref name="metric"/>; a folder of run folders stands for all of them (<see cref="ExpandSweeps"/>). Throws when a folder has no metrics.jsonl; a run without the metric is drawn empty.
    /// </summary>
    public static PlotFile Draw(IReadOnlyList<string> runDirectories, string metric, string outputPath)
    {
        if (runDirectories.Count == 0)
        {
            throw new ArgumentException("Name at least one run folder to compare.", nameof(runDirectories));
        }

        var series = new List<PlottedSeries>();
        IReadOnlyList<string> runs = ExpandSweeps(runDirectories);
        foreach (string directory in runs)
        {
            var folder = new RunFolder(directory);
            if (!File.Exists(folder.MetricsFile))
            {
                throw new FileNotFoundException($"{folder.MetricsFile}: no metrics in this run folder (is it a NanoT5 run?).", folder.MetricsFile);
            }

            string label = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
            series.Add(PlotRenderer.Series(label, metric, MetricsJournal.ReadAll(folder.MetricsFile).Where(p => p.Name == metric)));
        }

        return PlotRenderer.Save(outputPath, $"{metric} — {runs.Count} runs", metric, series);
    }

    /// <summary>
    /// The metrics every run of <paramref name="runDirectories"/> logged (what `compare` draws by default), in name
    /// order. Throws when a folder has no metrics.jsonl.
    /// </summary>
    public static IReadOnlyList<string> SharedMetrics(IReadOnlyList<string> runDirectories)
    {
        IEnumerable<string>? shared = null;
        foreach (string directory in ExpandSweeps(runDirectories))
        {
            var folder = new RunFolder(directory);
            if (!File.Exists(folder.MetricsFile))
            {
                throw new FileNotFoundException($"{folder.MetricsFile}: no metrics in this run folder (is it a NanoT5 run?).", folder.MetricsFile);
            }

            HashSet<string> names = [.. MetricsJournal.ReadAll(folder.MetricsFile).Select(p => p.Name)];
            shared = shared is null ? names : shared.Intersect(names, StringComparer.Ordinal);
        }

        return [.. (shared ?? []).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// A folder that is no run but holds runs (an experiment's runs/ after a sweep) stands for those runs, in name
    /// order, so `compare runs` overlays every run of a sweep.
    /// </summary>
    public static IReadOnlyList<string> ExpandSweeps(IReadOnlyList<string> directories) =>
        [.. directories.SelectMany(directory =>
        {
            if (File.Exists(new RunFolder(directory).MetricsFile) || !Directory.Exists(directory))
            {
                return [directory];
            }

            string[] runs = [.. Directory.GetDirectories(directory).Where(d => File.Exists(new RunFolder(d).MetricsFile)).Order(StringComparer.Ordinal)];
            return runs.Length > 0 ? runs : [directory];
        })];

    /// <summary>The output file name used for <paramref name="metric"/> when only a folder is given: train/loss → compare_train_loss.png.</summary>
    public static string FileNameFor(string metric) => $"compare_{string.Concat(metric.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_'))}.png";
}
