// Aggregates per-instance RougeL as the SNI evaluation does (Tk-Instruct compute_metrics.py, compute_metrics and
// compute_grouped_metrics): the mean of the per-instance scores times 100, overall, per task category
// (the task's Categories[0]) and per task.
using System.Globalization;

namespace NanoT5.Evaluation;

/// <summary>One prediction to score, with the task and category it belongs to (empty when unknown).</summary>
public sealed record RougeInstance(string Prediction, IReadOnlyList<string> References, string Task = "", string Category = "");

/// <summary>Mean RougeL F-measure (x100) over <see cref="Count"/> instances.</summary>
public sealed record RougeGroupScore(double RougeL, int Count);

/// <summary>RougeL (x100) overall, per category and per task.</summary>
public sealed record RougeReport(
    double RougeL,
    int Count,
    IReadOnlyDictionary<string, RougeGroupScore> ByCategory,
    IReadOnlyDictionary<string, RougeGroupScore> ByTask)
{
    /// <summary>
    /// Scores every instance against the best of its references and averages: 100 * sum / count, summed in
    /// input order like the reference. Groups are keyed by the category and task names as given.
    /// </summary>
    public static RougeReport Compute(IEnumerable<RougeInstance> instances)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var total = new Accumulator();
        var byCategory = new SortedDictionary<string, Accumulator>(StringComparer.Ordinal);
        var byTask = new SortedDictionary<string, Accumulator>(StringComparer.Ordinal);
        foreach (RougeInstance instance in instances)
        {
            double f = Evaluation.RougeL.BestFMeasure(instance.Prediction, instance.References);
            total.Add(f);
            GetOrAdd(byCategory, instance.Category).Add(f);
            GetOrAdd(byTask, instance.Task).Add(f);
        }

        if (total.Count == 0)
        {
            throw new ArgumentException("RougeL needs at least one prediction to average.", nameof(instances));
        }

        return new RougeReport(total.Mean, total.Count, Finish(byCategory), Finish(byTask));
    }

    /// <summary>A RougeL value as Tk-Instruct reports it: rounded to 4 decimals.</summary>
    public static string Format(double rougeL) => rougeL.ToString("0.0000", CultureInfo.InvariantCulture);

    private static Accumulator GetOrAdd(SortedDictionary<string, Accumulator> groups, string key)
    {
        if (!groups.TryGetValue(key, out Accumulator? group))
        {
            group = new Accumulator();
            groups[key] = group;
        }

        return group;
    }

    private static SortedDictionary<string, RougeGroupScore> Finish(SortedDictionary<string, Accumulator> groups)
    {
        var result = new SortedDictionary<string, RougeGroupScore>(StringComparer.Ordinal);
        foreach ((string key, Accumulator group) in groups)
        {
            result[key] = new RougeGroupScore(group.Mean, group.Count);
        }

        return result;
    }

    private sealed class Accumulator
    {
        private double sum;

        public int Count { get; private set; }

        // compute_metrics: rougeL = 100.0 * rougeL / len(references).
        public double Mean => 100.0 * sum / Count;

        public void Add(double f)
        {
            sum += f;
            Count++;
        }
    }
}
