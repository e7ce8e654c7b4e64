// Running statistics of every metric series, fed point by point (at start from metrics.jsonl, then live).
namespace NanoT5.Tracking.Local;

/// <summary>Accumulates count, last, min, max, best and mean per metric name; not thread-safe.</summary>
public sealed class MetricStatistics
{
    private readonly Dictionary<string, Series> series = new(StringComparer.Ordinal);

    public long Points { get; private set; }

    public long? LastStep { get; private set; }

    /// <summary>True when <paramref name="name"/> already has a value at <paramref name="step"/>.</summary>
    public bool Contains(string name, long step) => series.TryGetValue(name, out Series? s) && s.Steps.Contains(step);

    public void Add(MetricPoint point)
    {
        if (!series.TryGetValue(point.Name, out Series? s))
        {
            s = new Series(MetricNames.Direction(point.Name));
            series.Add(point.Name, s);
        }

        s.Add(point.Step, point.Value);
        Points++;
        LastStep = Math.Max(LastStep ?? point.Step, point.Step);
    }

    public IReadOnlyDictionary<string, MetricSummary> Summaries() =>
        series.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value.Summary(), StringComparer.Ordinal);

    private sealed class Series(int direction)
    {
        private long count;
        private long finiteCount;
        private double sum;
        private StepValue? last;
        private StepValue? min;
        private StepValue? max;

        public HashSet<long> Steps { get; } = [];

        public void Add(long step, double value)
        {
            Steps.Add(step);
            count++;
            if (last is null || step >= last.Step)
            {
                last = new StepValue(step, value);
            }

            if (double.IsNaN(value))
            {
                return;
            }

            if (double.IsFinite(value))
            {
                finiteCount++;
                sum += value;
            }

            min = min is null || value < min.Value ? new StepValue(step, value) : min;
            max = max is null || value > max.Value ? new StepValue(step, value) : max;
        }

        public MetricSummary Summary() =>
            new(count, last!, min, max, direction < 0 ? min : direction > 0 ? max : null, finiteCount > 0 ? sum / finiteCount : double.NaN);
    }
}
