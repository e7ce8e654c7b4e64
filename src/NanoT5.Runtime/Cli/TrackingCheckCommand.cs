// `tracking-check`: logs a short synthetic run (a decaying loss curve, no model) through the configured
// tracker, to check a tracker URL and token before a long run. Run again on the same folder, it resumes the
// run and delivers whatever an interrupted attempt left pending.
using System.CommandLine;
using NanoT5.Config;
using NanoT5.Runs;
using NanoT5.Tracking;

namespace NanoT5.Cli;

/// <summary>The tracking-check verb.</summary>
public static class TrackingCheckCommand
{
    public static Command Create(ExperimentConfig? experiment)
    {
        var config = ExperimentConfigOption.Create();
        var steps = new Option<int>("--steps") { Description = "Training steps to simulate.", DefaultValueFactory = _ => 200 };
        var interval = new Option<int>("--interval-ms") { Description = "Pause between simulated steps.", DefaultValueFactory = _ => 10 };
        var command = new Command("tracking-check", "Log a synthetic run to the run folder and the configured tracker; exit 1 if points stay undelivered.")
        {
            config, steps, interval,
        };
        command.SetAction(parse =>
        {
            ExperimentConfig resolved = ExperimentConfigOption.Resolve(parse.GetValue(config), experiment);
            TrackingReport report = Simulate(resolved, parse.GetValue(steps), TimeSpan.FromMilliseconds(parse.GetValue(interval)));
            Console.WriteLine(report.Describe());
            return report.PendingPoints == 0 ? ExitCodes.Success : ExitCodes.CheckFailed;
        });
        return command;
    }

    // Values depend on the step only, so a resumed attempt replays exactly what the first one logged.
    private static TrackingReport Simulate(ExperimentConfig config, int steps, TimeSpan interval)
    {
        ExperimentTracker tracker = ExperimentTracker.Start(config, new TrackerOptions { Tags = new Dictionary<string, string> { ["nanot5.check"] = "synthetic" } });
        for (int step = 1; step <= steps; step++)
        {
            tracker.LogMetrics(step, new Dictionary<string, double>
            {
                [MetricNames.TrainLoss] = 2 + (8 * Math.Exp(-step / 50.0)),
                [MetricNames.TrainLr] = config.Optim.BaseLr * Math.Min(1, step / 100.0),
                [MetricNames.TrainGradL2] = 1 + (1.0 / step),
                [MetricNames.TrainTokensPerSecond] = 1000 + (step % 7),
            });
            Thread.Sleep(interval);
        }

        tracker.LogMetric(MetricNames.EvalLoss, steps, 2 + (8 * Math.Exp(-steps / 50.0)));
        return tracker.EndAsync(RunStatus.Finished).GetAwaiter().GetResult();
    }
}
