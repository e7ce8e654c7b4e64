// `tracking-check`: logs a short synthetic run (a decaying loss curve, no model) through the configured
// tracker, to check a tracker URL and token before a long run. The check always has its own run folder beside
// the experiment's (RUN_DIR.tracking-check) and its own tracker run (NAME-tracking-check, in the experiment's
// tracker experiment): it never writes into a real run's folder or its remote run. Run again, it resumes its own
// run and delivers whatever an interrupted attempt left pending.
using System.CommandLine;
using NanoT5.Config;
using NanoT5.Runs;
using NanoT5.Tracking;

namespace NanoT5.Cli;

/// <summary>The tracking-check verb.</summary>
public static class TrackingCheckCommand
{
    /// <summary>Ends the check's run folder and run name.</summary>
    public const string Suffix = "tracking-check";

    public static Command Create(ExperimentConfig? experiment)
    {
        var config = ExperimentConfigOption.Create();
        var steps = new Option<int>("--steps") { Description = "Training steps to simulate.", DefaultValueFactory = _ => 200 };
        var interval = new Option<int>("--interval-ms") { Description = "Pause between simulated steps.", DefaultValueFactory = _ => 10 };
        var command = new Command("tracking-check", $"Log a synthetic run to its own folder (RUN_DIR.{Suffix}) and the configured tracker; exit 1 if points stay undelivered.")
        {
            config, steps, interval,
        };
        command.SetAction(parse =>
        {
            ExperimentConfig check = CheckConfig(ExperimentConfigOption.Resolve(parse.GetValue(config), experiment));
            Console.WriteLine($"tracking-check: synthetic run '{check.Name}' in {check.RunDirectory}");
            TrackingReport report = Simulate(check, parse.GetValue(steps), TimeSpan.FromMilliseconds(parse.GetValue(interval)));
            Console.WriteLine(report.Describe());
            return report.PendingPoints == 0 && report.SetAsidePoints == 0 ? ExitCodes.Success : ExitCodes.CheckFailed;
        });
        return command;
    }

    /// <summary>
    /// The check's own run: folder RUN_DIR.tracking-check beside the experiment's, name NAME-tracking-check, in the
    /// experiment's tracker experiment (so the check proves access to it) as a run of its own.
    /// </summary>
    public static ExperimentConfig CheckConfig(ExperimentConfig experiment)
    {
        string runDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(experiment.RunDirectory));
        return experiment with
        {
            Name = $"{experiment.Name}-{Suffix}",
            RunDirectory = $"{runDirectory}.{Suffix}",
            Tracker = experiment.Tracker with { Experiment = experiment.Tracker.Experiment ?? experiment.Name },
        };
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
