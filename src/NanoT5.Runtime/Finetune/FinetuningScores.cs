// RougeL during fine-tuning. Periodic evaluations decode the first eval.steps batches of the test split (fast, a
// part of it, counted in eval/instances); the final one decodes the WHOLE test split as nanoT5's test/rougeL does,
// so its number is comparable with nanoT5's 40.7, and prints the full report (overall, count, per category).
using NanoT5.Config;
using NanoT5.Data;
using NanoT5.Model;
using NanoT5.Tracking;
using static TorchSharp.torch;

namespace NanoT5.Finetune;

/// <summary>The RougeL metrics of a fine-tuning run's evaluations.</summary>
internal sealed class FinetuningScores(T5ForConditionalGeneration model, ITextTokenizer tokenizer, ExperimentConfig config, ScalarType? autocastDtype)
{
    /// <summary>eval/rougeL, eval/rougeL_all_refs (overall and per category) and eval/instances of <paramref name="batches"/>.</summary>
    public IReadOnlyDictionary<string, double> Periodic(IReadOnlyList<SniBatch> batches) =>
        Partial(Predict(batches));

    /// <summary>
    /// The final evaluation: <paramref name="wholeSplit"/> decoded, test/* metrics over all of it (and the periodic
    /// eval/* metrics of its first <paramref name="periodicInstances"/> predictions, the rows periodic evaluations
    /// use, so that series keeps its meaning); the report is written to <paramref name="output"/>.
    /// </summary>
    public IReadOnlyDictionary<string, double> WholeTestSplit(IEnumerable<SniBatch> wholeSplit, int periodicInstances, TextWriter output)
    {
        IReadOnlyList<SniPrediction> predictions = Predict(wholeSplit);
        SniRougeL rouge = SniRougeL.Compute(predictions);
        output.WriteLine($"[test] the whole test split: {predictions.Count} instances");
        foreach (string line in rouge.Report())
        {
            output.WriteLine($"[test] {line}");
        }

        var metrics = new Dictionary<string, double>(Partial([.. predictions.Take(periodicInstances)]));
        foreach ((string name, double value) in rouge.Metrics(MetricNames.TestRougeL, MetricNames.TestRougeLAllRefs))
        {
            metrics[name] = value;
        }

        metrics[MetricNames.TestInstances] = predictions.Count;
        return metrics;
    }

    private static Dictionary<string, double> Partial(IReadOnlyList<SniPrediction> predictions) =>
        new(SniRougeL.Compute(predictions).Metrics(MetricNames.EvalRougeL, MetricNames.EvalRougeLAllRefs))
        {
            [MetricNames.EvalInstances] = predictions.Count,
        };

    private IReadOnlyList<SniPrediction> Predict(IEnumerable<SniBatch> batches) =>
        SniPredictor.Predict(model, batches, tokenizer, config.Finetune.MaxNewTokens(), autocastDtype);
}
