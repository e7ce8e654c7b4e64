// The two RougeL numbers of a fine-tuned model: the Super-Natural Instructions metric (best over all references
// of an instance, Tk-Instruct's compute_metrics) and the number nanoT5 reports (one reference per instance, the
// one its collator drew for the label, as predict() in nanoT5/utils/train_utils.py scores it).
using NanoT5.Evaluation;
using NanoT5.Tracking;

namespace NanoT5.Finetune;

/// <summary>Both RougeL reports of a set of predictions.</summary>
public sealed record SniRougeL(RougeReport AllReferences, RougeReport LabelReference)
{
    /// <summary>Scores <paramref name="predictions"/> both ways, overall, per category and per task.</summary>
    public static SniRougeL Compute(IReadOnlyList<SniPrediction> predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        return new SniRougeL(
            RougeReport.Compute(predictions.Select(p => new RougeInstance(p.Prediction, p.References, p.Task, p.Category))),
            RougeReport.Compute(predictions.Select(p => new RougeInstance(p.Prediction, [p.LabelReference], p.Task, p.Category))));
    }

    /// <summary>
    /// Both reports as tracker metrics, overall and per category: <see cref="LabelReference"/> as
    /// <paramref name="labelReferenceName"/>, <see cref="AllReferences"/> as <paramref name="allReferencesName"/>.
    /// </summary>
    public IReadOnlyDictionary<string, double> Metrics(string labelReferenceName, string allReferencesName)
    {
        var metrics = new Dictionary<string, double>
        {
            [labelReferenceName] = LabelReference.RougeL,
            [allReferencesName] = AllReferences.RougeL,
        };
        foreach ((string category, RougeGroupScore score) in LabelReference.ByCategory)
        {
            metrics[MetricNames.PerCategory(labelReferenceName, category)] = score.RougeL;
            metrics[MetricNames.PerCategory(allReferencesName, category)] = AllReferences.ByCategory[category].RougeL;
        }

        return metrics;
    }

    /// <summary>Lines of the report: both numbers, the count, then one line per category.</summary>
    public IEnumerable<string> Report()
    {
        yield return $"rougeL: {RougeReport.Format(LabelReference.RougeL)} (nanoT5's: against the reference each label was made from)";
        yield return $"rougeL_all_refs: {RougeReport.Format(AllReferences.RougeL)} (SNI's: against the best of all references; what the rouge verb prints)";
        yield return $"count: {AllReferences.Count}";
        foreach ((string category, RougeGroupScore score) in LabelReference.ByCategory)
        {
            yield return $"rougeL for category '{category}': {RougeReport.Format(score.RougeL)} | all refs {RougeReport.Format(AllReferences.ByCategory[category].RougeL)} ({score.Count})";
        }
    }
}
