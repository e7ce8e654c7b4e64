// The standard figures of one run (plots/ in the run folder): nanoT5's logged quantities over steps.
namespace NanoT5.Tracking.Plots;

/// <summary>Draws a run's standard plots from its metric points.</summary>
public static class RunPlots
{
    /// <summary>File name, title and metric of each standard figure.</summary>
    public static IReadOnlyList<(string File, string Title, string Metric)> Standard { get; } =
    [
        ("train_loss.png", "Training loss", MetricNames.TrainLoss),
        ("eval_loss.png", "Evaluation loss", MetricNames.EvalLoss),
        ("eval_rougeL.png", "Evaluation RougeL", MetricNames.EvalRougeL),
        ("lr.png", "Learning rate", MetricNames.TrainLr),
        ("grad_l2.png", "Gradient L2 norm", MetricNames.TrainGradL2),
        ("tokens_per_s.png", "Throughput (tokens/s)", MetricNames.TrainTokensPerSecond),
    ];

    /// <summary>Writes each standard figure whose metric has finite points; returns what was drawn.</summary>
    public static IReadOnlyList<PlotFile> Draw(string plotsDirectory, string runLabel, IReadOnlyList<MetricPoint> points)
    {
        ILookup<string, MetricPoint> byName = points.ToLookup(p => p.Name, StringComparer.Ordinal);
        var files = new List<PlotFile>();
        foreach ((string file, string title, string metric) in Standard)
        {
            PlottedSeries series = PlotRenderer.Series(runLabel, metric, byName[metric]);
            if (series.Steps.Count > 0)
            {
                files.Add(PlotRenderer.Save(Path.Combine(plotsDirectory, file), $"{title} — {runLabel}", metric, [series]));
            }
        }

        return files;
    }
}
