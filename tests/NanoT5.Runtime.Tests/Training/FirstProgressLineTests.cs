// A run whose log_every is far away still says something at once: its first step prints speed and ETA (not a
// logged metric: metrics.jsonl keeps exactly the log_every points).
using System.Text.Json;
using NanoT5.Tests.FaultTolerance;

namespace NanoT5.Tests.Training;

public sealed class FirstProgressLineTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public void The_first_step_prints_a_line_with_an_ETA_and_metrics_keep_only_the_log_every_points()
    {
        using var run = new FaultRun(c => c with { Optim = c.Optim with { TotalSteps = 4 }, Logging = c.Logging with { EverySteps = 100 } });

        (int exit, string output) = RuntimeProcess.Run(run.Pretrain);

        Assert.True(exit == 0, output);
        string first = Assert.Single(output.Split('\n'), l => l.StartsWith("[train] step 1/4 |", StringComparison.Ordinal));
        Assert.Contains("ETA", first, StringComparison.Ordinal);
        Assert.Contains("(then every 100 steps)", first, StringComparison.Ordinal);
        Assert.DoesNotContain("[train] step 2/4", output, StringComparison.Ordinal);
        Assert.Equal(
            [4L],
            File.ReadAllLines(Path.Combine(run.RunDirectory, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
                .Where(e => e.GetProperty("name").GetString() == "train/loss").Select(e => e.GetProperty("step").GetInt64()));
    }
}
