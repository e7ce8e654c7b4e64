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
    public const string EvalLoss = "eval/loss";
    public const string EvalAccuracy = "eval/accuracy";
    public const string EvalRougeL = "eval/rougeL";

    /// <summary>RougeL of one Super-Natural Instructions task category.</summary>
    public static string EvalRougeLOf(string category) => $"{EvalRougeL}/{category}";

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

        return name.StartsWith(EvalAccuracy, StringComparison.Ordinal) || name.StartsWith(EvalRougeL, StringComparison.Ordinal)
            || name == TrainTokensPerSecond ? 1 : 0;
    }
}
