// A loss curve starts far above where it spends the run (T5's std-1.0 init: NLL 48 at step 0, 3-5 after a few
// hundred steps); drawn to scale, the part people read is a flat line at the bottom. The y range is then clipped
// to the bulk of the points, and the axis label says so and how many points lie above it.
using System.Globalization;

namespace NanoT5.Tracking.Plots;

/// <summary>A y range that keeps the bulk of a series readable, when its first points would squash it.</summary>
public sealed record ReadableRange(double Low, double High, int PointsAbove)
{
    // The top is this many times the distance from the lowest value to the median above the lowest value.
    private const double SpreadFactor = 6;
    private const int MinimumPoints = 5;

    /// <summary>" (clipped at 6.4: 3 higher points off the chart)".</summary>
    public string Note => string.Create(CultureInfo.InvariantCulture, $" (clipped at {High:G3}: {PointsAbove} higher point{(PointsAbove == 1 ? string.Empty : "s")} off the chart)");

    /// <summary>The clipped range for <paramref name="values"/>, or null when the whole range reads fine.</summary>
    public static ReadableRange? Of(IReadOnlyList<double> values)
    {
        if (values.Count < MinimumPoints)
        {
            return null;
        }

        double[] sorted = [.. values.Order()];
        double low = sorted[0];
        double median = sorted[sorted.Length / 2];
        double max = sorted[^1];
        double high = Math.Max(low + (SpreadFactor * (median - low)), median * 1.2);
        if (max <= high || median <= low)
        {
            return null;
        }

        double margin = (high - low) * 0.05;
        return new ReadableRange(low - margin, high, sorted.Count(v => v > high));
    }
}
