// What a figure shows, kept next to the PNG so callers (and tests) can check the picture against the data.
namespace NanoT5.Tracking.Plots;

/// <summary>One line of a figure: the finite points of a metric series, by step.</summary>
public sealed record PlottedSeries(string Label, string Metric, IReadOnlyList<double> Steps, IReadOnlyList<double> Values);

/// <summary>A PNG written and the series drawn in it.</summary>
public sealed record PlotFile(string Path, string Title, IReadOnlyList<PlottedSeries> Series)
{
    /// <summary>The y axis label as drawn (it says when the range is clipped).</summary>
    public string YLabel { get; init; } = string.Empty;

    /// <summary>The top of the y range when points above it were left off the chart, else null.</summary>
    public double? ClippedAbove { get; init; }
}
