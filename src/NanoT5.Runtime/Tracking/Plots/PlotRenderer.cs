// Draws metric series over steps into a PNG with ScottPlot 5 (SkiaSharp, headless; its Linux natives
// need no system libraries, and text uses the fonts found under /usr/share/fonts).
using NanoT5.IO;

namespace NanoT5.Tracking.Plots;

/// <summary>Renders line charts of metric series.</summary>
public static class PlotRenderer
{
    public const int Width = 960;
    public const int Height = 600;

    // Few points get markers so a single evaluation still shows up as a dot.
    private const int MarkerLimit = 50;

    /// <summary>The finite points of <paramref name="points"/> (one metric), ordered by step.</summary>
    public static PlottedSeries Series(string label, string metric, IEnumerable<MetricPoint> points)
    {
        MetricPoint[] finite = [.. points.Where(p => double.IsFinite(p.Value)).OrderBy(p => p.Step)];
        return new PlottedSeries(label, metric, [.. finite.Select(p => (double)p.Step)], [.. finite.Select(p => p.Value)]);
    }

    /// <summary>Writes one figure with every non-empty series of <paramref name="series"/>; a legend when there are several.</summary>
    public static PlotFile Save(string path, string title, string yLabel, IReadOnlyList<PlottedSeries> series)
    {
        ScottPlot.Plot plot = Build(title, yLabel, series, out string axisLabel, out ReadableRange? range);

        // Rendered in memory and renamed into place: a link planted at the name is replaced, never written through.
        byte[] png = plot.GetImageBytes(Width, Height, ScottPlot.ImageFormat.Png);
        AtomicFile.Write(path, stream => stream.Write(png));
        return new PlotFile(path, title, series) { YLabel = axisLabel, ClippedAbove = range?.High };
    }

    /// <summary>The figure <see cref="Save"/> renders; <paramref name="axisLabel"/> is the y label with the clipped range's note.</summary>
    internal static ScottPlot.Plot Build(string title, string yLabel, IReadOnlyList<PlottedSeries> series, out string axisLabel, out ReadableRange? range)
    {
        var plot = new ScottPlot.Plot();
        foreach (PlottedSeries s in series.Where(s => s.Steps.Count > 0))
        {
            ScottPlot.Plottables.Scatter line = plot.Add.Scatter(s.Steps.ToArray(), s.Values.ToArray());
            line.LegendText = s.Label;
            line.LineWidth = 2;
            line.MarkerSize = s.Steps.Count <= MarkerLimit ? 6 : 0;
        }

        plot.Title(title);
        plot.XLabel("step");
        range = yLabel.Contains("loss", StringComparison.Ordinal) ? ReadableRange.Of(series.SelectMany(s => s.Values).ToList()) : null;
        axisLabel = yLabel;
        if (range is not null)
        {
            plot.Axes.SetLimitsY(range.Low, range.High);
            axisLabel += range.Note;
        }

        plot.YLabel(axisLabel);
        if (series.Count(s => s.Steps.Count > 0) > 1)
        {
            // Beside the data area, not in it: inside, ScottPlot's corner legend covers the last points of falling curves.
            plot.ShowLegend(ScottPlot.Edge.Right);
        }

        return plot;
    }
}
