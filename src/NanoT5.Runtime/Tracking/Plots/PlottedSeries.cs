// What a figure shows, kept next to the PNG so callers (and tests) can check the picture against the data.
namespace NanoT5.Tracking.Plots;

/// <summary>One line of a figure: the finite points of a metric series, by step.</summary>
public sealed record PlottedSeries(string Label, string Metric, IReadOnlyList<double> Steps, IReadOnlyList<double> Values);

/// <summary>A PNG written and the series drawn in it.</summary>
public sealed record PlotFile(string Path, string Title, IReadOnlyList<PlottedSeries> Series);
