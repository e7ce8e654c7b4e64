// Configs and options shared by the tracking tests: a run folder, a loopback tracker, delivery timings
// shrunk to milliseconds so fault scenarios finish in seconds, and the runtime's tracking-check verb as a process.
using System.Diagnostics;
using System.Text;
using NanoT5.Config;
using NanoT5.Tracking;
using NanoT5.Tracking.Local;
using NanoT5.Tracking.Outbox;
using NanoT5.Tracking.Remote;

namespace NanoT5.Tests.Tracking;

internal static class TrackingFixtures
{
    public static DeliveryOptions FastDelivery { get; } = new()
    {
        SendInterval = TimeSpan.FromMilliseconds(50),
        AttemptTimeout = TimeSpan.FromSeconds(1),
        MaxRetryAttempts = 3,
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        RetryMaxDelay = TimeSpan.FromMilliseconds(200),
        MaxRetryAfter = TimeSpan.FromSeconds(3),
        BreakerMinimumThroughput = 4,
        BreakerSamplingDuration = TimeSpan.FromSeconds(2),
        BreakDuration = TimeSpan.FromMilliseconds(500),
        MaxRoundBackoff = TimeSpan.FromMilliseconds(300),
    };

    public static ExperimentConfig Config(string runDirectory, Uri? tracker = null, double drainSeconds = 15) => new()
    {
        Name = "tracking-test",
        RunDirectory = runDirectory,
        Tracker = tracker is null
            ? new TrackerSettings()
            : new TrackerSettings { Kind = TrackerKind.MLflow, Url = tracker.ToString(), DrainSeconds = drainSeconds, Tags = new Dictionary<string, string> { ["purpose"] = "test" } },
    };

    /// <summary>A config the runtime's verbs take as a whole experiment (validation wants a mode and a tokenizer), sending every 50 ms.</summary>
    public static ExperimentConfig VerbConfig(string runDirectory, Uri tracker)
    {
        ExperimentConfig config = Config(runDirectory, tracker) with { Mode = RunMode.Evaluate, Tokenizer = new TokenizerSettings { Kind = TokenizerKind.Gpt2 } };
        return config with { Tracker = config.Tracker with { SendIntervalSeconds = 0.05 } };
    }

    /// <summary>Starts `NanoT5.Runtime tracking-check --config FILE`; its output lines go to <paramref name="output"/>.</summary>
    public static Process StartTrackingCheck(string configFile, string workingDirectory, int steps, int intervalMs, StringBuilder output)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in new[] { Path.Combine(AppContext.BaseDirectory, "NanoT5.Runtime.dll"), "tracking-check", "--config", configFile, "--steps", $"{steps}", "--interval-ms", $"{intervalMs}" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static TrackerOptions Options(TextWriter log, string? token = null, TimeProvider? time = null) => new()
    {
        Log = log,
        Time = time ?? TimeProvider.System,
        Delivery = FastDelivery,
        Environment = name => name == "MLFLOW_TRACKING_TOKEN" ? token : null,
    };

    /// <summary>Logs <paramref name="steps"/> steps of four train metrics (values depend on the step only).</summary>
    public static void LogSteps(IExperimentTracker tracker, int firstStep, int steps)
    {
        for (int step = firstStep; step < firstStep + steps; step++)
        {
            tracker.LogMetrics(step, new Dictionary<string, double>
            {
                [MetricNames.TrainLoss] = 10.0 / step,
                [MetricNames.TrainLr] = 1e-3 * step,
                [MetricNames.TrainGradL2] = 1 + (1.0 / step),
                [MetricNames.TrainTokensPerSecond] = 1000 + step,
            });
        }
    }

    /// <summary>A run of <paramref name="config"/> that logs what <paramref name="log"/> logs and ends finished.</summary>
    public static async Task<TrackingReport> RunAsync(NanoT5.Config.ExperimentConfig config, Action<ExperimentTracker> log, StringWriter? output = null)
    {
        await using ExperimentTracker tracker = ExperimentTracker.Start(config, TrackingFixtures.Options(output ?? new StringWriter()));
        log(tracker);
        return await tracker.EndAsync(RunStatus.Finished);
    }

    /// <summary>What a crash between the server's commit and the save of outbox.json leaves, for the whole run.</summary>
    public static void ForgetAcknowledgements(string runDirectory)
    {
        string file = new RunFolder(runDirectory).OutboxStateFile;
        OutboxState saved = TrackingJson.TryLoad<OutboxState>(file)!;
        (saved with { AcknowledgedOffset = 0, AcknowledgedPoints = 0 }).Save(file);
    }

    /// <summary>The journal's points as the server's metric keys.</summary>
    public static HashSet<(string Key, long Step, long Timestamp, double Value)> JournalKeys(string runDirectory) =>
        [.. MetricsJournal.ReadAll(new RunFolder(runDirectory).MetricsFile).Select(p => (p.Name, p.Step, p.TimestampMs, p.Value))];

    private static void Append(StringBuilder output, string? line)
    {
        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
