// The metric names the training loops log, in one place so plots, summaries and loops agree.
namespace NanoT5.Tracking;

/// <summary>Metric series names (nanoT5's logged quantities, grouped as train/ and eval/).</summary>
public static class MetricNames
{
    public const string TrainLoss = "train/loss";
    public const string TrainGradL2 = "train/grad_l2";
    public const string TrainWeightsL2 = "train/weights_l2";
    public const string TrainLr = "train/lr";
    public const string TrainSecondsPerStep = "train/seconds_per_step";
    public const string TrainTokensPerSecond = "train/tokens_per_s";

    /// <summary>Mean seconds a step waited for its micro-batches (data loading the step could not hide).</summary>
    public const string TrainDataWaitSeconds = "train/data_wait_s";

    /// <summary>Steps skipped so far for a non-finite loss or gradients, logged at each skipped step.</summary>
    public const string TrainSkippedSteps = "train/skipped_steps";

    /// <summary>The group of every evaluation metric: "eval/name" overall, "eval/name/category" per task category.</summary>
    public const string EvalGroup = "eval/";

    public const string EvalLoss = "eval/loss";
    public const string EvalAccuracy = "eval/accuracy";

    /// <summary>nanoT5's RougeL during fine-tuning: each prediction against the reference its label was made from.</summary>
    public const string EvalRougeL = "eval/rougeL";

    /// <summary>The SNI evaluation's RougeL during fine-tuning: each prediction against the best of all its references.</summary>
    public const string EvalRougeLAllRefs = "eval/rougeL_all_refs";

    /// <summary>Test instances a periodic fine-tuning evaluation decoded (the first eval.steps batches: a part of the test split).</summary>
    public const string EvalInstances = "eval/instances";

    /// <summary>nanoT5's test/rougeL: the final evaluation of a fine-tuning run, over every test instance.</summary>
    public const string TestRougeL = "test/rougeL";

    /// <summary>The SNI RougeL of the final evaluation of a fine-tuning run, over every test instance.</summary>
    public const string TestRougeLAllRefs = "test/rougeL_all_refs";

    /// <summary>Test instances the final evaluation of a fine-tuning run scored: the whole test split.</summary>
    public const string TestInstances = "test/instances";

    /// <summary>nanoT5's RougeL of the predict verb (every test instance).</summary>
    public const string PredictRougeL = "predict/rougeL";

    /// <summary>The SNI RougeL of the predict verb (every test instance): the number the rouge verb gives for predictions.jsonl.</summary>
    public const string PredictRougeLAllRefs = "predict/rougeL_all_refs";

    /// <summary>
    /// The overall numbers an evaluation's progress line shows after loss and accuracy, in this order when logged;
    /// per-category metrics and a fine-tuning run's final test/* go to the tracker only.
    /// </summary>
    public static IReadOnlyList<string> EvalLineExtras { get; } = [EvalRougeL, EvalRougeLAllRefs, EvalInstances];

    /// <summary>RougeL of one Super-Natural Instructions task category.</summary>
    public static string EvalRougeLOf(string category) => PerCategory(EvalRougeL, category);

    /// <summary><paramref name="metric"/> restricted to one task category: "metric/category".</summary>
    public static string PerCategory(string metric, string category) => $"{metric}/{category}";

    /// <summary>
    /// +1 when larger is better, -1 when smaller is better, 0 when neither (lr, norms): decides the
    /// "best" value in summary.json.
    /// </summary>
    public static int Direction(string name)
    {
        if (name.Contains("loss", StringComparison.OrdinalIgnoreCase))
        {
            return -1;
        }

        return name.StartsWith(EvalAccuracy, StringComparison.Ordinal) || name.Contains("/rougeL", StringComparison.Ordinal)
            || name == TrainTokensPerSecond ? 1 : 0;
    }
}
