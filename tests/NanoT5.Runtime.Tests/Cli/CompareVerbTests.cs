using NanoT5.Tracking;
using NanoT5.Tracking.Local;

namespace NanoT5.Tests.Cli;

[Collection(ConsoleCollection.Name)]
public sealed class CompareVerbTests
{
    [Fact]
    public void Compare_without_metric_draws_every_metric_all_the_runs_logged_and_counts_one_point_in_the_singular()
    {
        using var temp = TestPaths.NewTempFolder();
        string a = WriteRun(temp.File("a"), steps: 5, (MetricNames.TrainLoss, 1.0), (MetricNames.TrainLr, 0.01), (MetricNames.EvalLoss, 2.0));
        string b = WriteRun(temp.File("b"), steps: 1, (MetricNames.TrainLoss, 1.5), (MetricNames.TrainLr, 0.02), (MetricNames.EvalLoss, 2.5), ("finetune/rougeL", 30));

        (int exit, string output) = ConsoleCollection.Capture(() => NanoT5.Cli.CommandLine.Run(["compare", a, b, "--output", temp.File("figures")]));

        Assert.Equal(0, exit);
        Assert.Equal(
            ["compare_eval_loss.png", "compare_train_loss.png", "compare_train_lr.png"],
            Directory.GetFiles(temp.File("figures")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("train/loss, a (5 points), b (1 point)", output, StringComparison.Ordinal);
    }

    private static string WriteRun(string directory, int steps, params (string Name, double Value)[] metrics)
    {
        using var journal = MetricsJournal.Open(new RunFolder(directory).MetricsFile);
        for (int step = 1; step <= steps; step++)
        {
            foreach ((string name, double value) in metrics)
            {
                journal.Append(new MetricPoint(name, step, value / step, step));
            }
        }

        return directory;
    }
}
