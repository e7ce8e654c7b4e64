using NanoT5.Checkpoints;
using NanoT5.Config;
using NanoT5.Model;
using NanoT5.Optim;
using NanoT5.Runs;
using NanoT5.Tracking;
using NanoT5.Tracking.Local;
using NanoT5.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoT5.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class TrainerTests
{
    private static readonly T5Config Small = new() { VocabSize = 64, DModel = 32, DKv = 8, DFf = 48, NumLayers = 2, NumDecoderLayers = 2, NumHeads = 4, DropoutRate = 0.1 };

    private static ExperimentConfig Config(string runDirectory, int totalSteps) => new()
    {
        Name = "trainer-test",
        RunDirectory = runDirectory,
        Tokenizer = new TokenizerSettings { Kind = TokenizerKind.Gpt2 },
        Data = new DataSettings { TrainSources = ["synthetic"] },
        Optim = new OptimizerSettings { BatchSize = 4, GradAcc = 2, TotalSteps = totalSteps, WarmupSteps = 2, BaseLr = 1e-2 },
        Logging = new LoggingSettings { EverySteps = 2 },
        Eval = new EvaluationSettings { EverySteps = 3, Steps = 2 },
        Checkpoint = new CheckpointSettings { EverySteps = 3, KeepLast = 2 },
    };

    private static (TrainingOutcome Outcome, List<double> Losses, Dictionary<string, Tensor> Weights) Train(ExperimentConfig config, int stopAfter = int.MaxValue, TextWriter? events = null, Action<Trainer>? ran = null, Func<long, IReadOnlyDictionary<string, double>>? extraEvaluation = null)
    {
        var store = new TrainingCheckpointStore(config.RunDirectory, config.Checkpoint.KeepLast);
        StoredCheckpoint? resume = store.FindLatest();
        torch.manual_seed(config.Seed);
        var model = new T5ForConditionalGeneration(Small);
        model.InitializeWeights();
        using IOptimizer optimizer = OptimizerFactory.Create(config.Optim, model.named_parameters());
        TrainingState state = resume is null ? new TrainingState() : RunParts.RestoreCheckpoint(resume, model, optimizer);
        using var source = new SyntheticBatchSource(seed: 5, vocab: 64, rows: 2, resume?.ReadDataState());
        var tracker = ExperimentTracker.Start(config, new TrackerOptions { Log = TextWriter.Null });
        using var stop = new CancellationTokenSource();
        var losses = new List<double>();
        var context = new TrainerContext
        {
            Config = config,
            Parts = new TrainingRunParts
            {
                Model = model,
                Optimizer = optimizer,
                Schedule = OptimizerFactory.CreateSchedule(config.Optim, config.Optim.TotalSteps),
                TotalSteps = config.Optim.TotalSteps,
                Train = source,
                Validation = () => Enumerable.Range(0, 2).Select(i => new SyntheticBatchSource(seed: 99, vocab: 64, rows: 2).Next()!),
                ExtraEvaluation = extraEvaluation,
            },
            Callbacks = events is null ? [new LossRecorder(losses, stopAfter, stop)] : [new LossRecorder(losses, stopAfter, stop), new EventRecorder(events)],
            Tracker = tracker,
            Checkpoints = store,
            Progress = new ProgressReporter(events ?? TextWriter.Null, interactive: false, config.Optim.TotalSteps, TimeProvider.System),
            InitialState = state,
        };

        var trainer = new Trainer(context);
        TrainingOutcome outcome = trainer.Run(stop.Token);
        ran?.Invoke(trainer);
        tracker.EndAsync(outcome.End == TrainingEnd.Completed ? RunStatus.Finished : RunStatus.Killed).GetAwaiter().GetResult();
        var weights = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone().DetachFromDisposeScope());
        model.Dispose();
        return (outcome, losses, weights);
    }

    [Fact]
    public void Run_InterruptedAndResumedFromItsCheckpoint_ReproducesTheUninterruptedTrajectory()
    {
        using var straight = TestPaths.NewTempFolder();
        using var resumed = TestPaths.NewTempFolder();

        var (fullOutcome, fullLosses, fullWeights) = Train(Config(straight.Path, 7));
        var (firstOutcome, firstLosses, _) = Train(Config(resumed.Path, 7), stopAfter: 4);
        var (secondOutcome, secondLosses, secondWeights) = Train(Config(resumed.Path, 7));

        Assert.Equal(TrainingEnd.Completed, fullOutcome.End);
        Assert.Equal(TrainingEnd.Interrupted, firstOutcome.End);
        Assert.Equal(4, firstOutcome.State.Step);
        Assert.Equal(TrainingEnd.Completed, secondOutcome.End);
        Assert.Equal(fullLosses, firstLosses.Concat(secondLosses));
        foreach (var (name, expected) in fullWeights)
        {
            Assert.True(expected.Equals(secondWeights[name]), $"{name} differs after resume");
        }
    }

    [Fact]
    public void Run_WritesMetricsCheckpointsAtIntervalsAndAFinalEvaluation()
    {
        using var folder = TestPaths.NewTempFolder();

        var (outcome, losses, _) = Train(Config(folder.Path, 7));

        Assert.Equal(7, losses.Count);
        Assert.Equal(7 * 2 * 2 * (12 + 5), outcome.State.TokensSeen);
        Assert.NotNull(outcome.LastEvaluation);
        // Checkpoints at 3, 6 and the final 7; two kept.
        Assert.Equal(new[] { "step-00000006", "step-00000007" }, Directory.GetDirectories(Path.Combine(folder.Path, "checkpoints")).Select(d => Path.GetFileName(d)!).Order().ToArray());
        string metrics = File.ReadAllText(Path.Combine(folder.Path, "metrics.jsonl"));
        Assert.Contains("\"train/loss\"", metrics, StringComparison.Ordinal);
        Assert.Contains("\"eval/loss\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_AtAStepWithLoggingEvaluationAndCheckpoint_LogsThenEvaluatesThenCheckpointsAndEndsWithBoth()
    {
        using var folder = TestPaths.NewTempFolder();
        ExperimentConfig config = Config(folder.Path, 7) with { Eval = new EvaluationSettings { EverySteps = 3, Steps = 2, AtStart = true } };
        using var events = new StringWriter();

        var (outcome, _, _) = Train(config, events: events);

        Assert.Equal(TrainingEnd.Completed, outcome.End);
        Assert.Equal(
            [
                "on eval 0 (eval/accuracy, eval/loss)", "[eval] step 0",
                "on step 1", "[train] step 1/7", "on step 2", "[train] step 2/7",
                "on step 3", "on eval 3 (eval/accuracy, eval/loss)", "[eval] step 3", "[checkpoint] step 3 -> step-00000003", "on checkpoint 3 step-00000003",
                "on step 4", "[train] step 4/7",
                "on step 5",
                "on step 6", "[train] step 6/7", "on eval 6 (eval/accuracy, eval/loss)", "[eval] step 6", "[checkpoint] step 6 -> step-00000006", "on checkpoint 6 step-00000006",
                "on step 7", "[train] step 7/7", "on eval 7 (eval/accuracy, eval/loss)", "[eval] step 7", "[checkpoint] step 7 -> step-00000007", "on checkpoint 7 step-00000007",
            ],
            Events(events));
        string[] train = [MetricNames.TrainLoss, MetricNames.TrainLr, MetricNames.TrainSecondsPerStep, MetricNames.TrainTokensPerSecond, "train/data_wait_s", MetricNames.TrainGradL2, MetricNames.TrainWeightsL2];
        string[] eval = [MetricNames.EvalLoss, MetricNames.EvalAccuracy];
        Assert.Equal(
            [.. eval.Select(n => $"0 {n}"), .. Logged(2, train), .. Logged(3, eval), .. Logged(4, train), .. Logged(6, train), .. Logged(6, eval), .. Logged(7, train), .. Logged(7, eval)],
            MetricsJournal(folder.Path));
    }

    [Fact]
    public void Run_StoppedOnRequest_CheckpointsTheLastCompletedStepAndEndsInterrupted()
    {
        using var folder = TestPaths.NewTempFolder();
        using var events = new StringWriter();

        var (outcome, _, _) = Train(Config(folder.Path, 7), stopAfter: 4, events: events);

        Assert.Equal(TrainingEnd.Interrupted, outcome.End);
        Assert.Equal(4, outcome.State.Step);
        Assert.EndsWith("step-00000004", outcome.LastCheckpoint, StringComparison.Ordinal);
        Assert.Equal(
            [
                "on step 1", "[train] step 1/7", "on step 2", "[train] step 2/7",
                "on step 3", "on eval 3 (eval/accuracy, eval/loss)", "[eval] step 3", "[checkpoint] step 3 -> step-00000003", "on checkpoint 3 step-00000003",
                "on step 4", "[train] step 4/7",
                "stop requested: checkpointing step 4 and exiting", "[checkpoint] step 4 -> step-00000004", "on checkpoint 4 step-00000004",
            ],
            Events(events));
    }

    [Fact]
    public void Run_StoppedRightAfterACheckpoint_EndsInterruptedWithoutWritingItAgain()
    {
        using var folder = TestPaths.NewTempFolder();
        using var events = new StringWriter();

        var (outcome, _, _) = Train(Config(folder.Path, 7), stopAfter: 3, events: events);

        Assert.Equal(TrainingEnd.Interrupted, outcome.End);
        Assert.EndsWith("step-00000003", outcome.LastCheckpoint, StringComparison.Ordinal);
        Assert.Equal(
            ["stop requested: checkpointing step 3 and exiting"],
            Events(events).SkipWhile(line => line != "on checkpoint 3 step-00000003").Skip(1));
    }

    [Fact]
    public void Run_WithNonFiniteSteps_SkipsAndCountsThemAndStopsDivergedAtTheLimit()
    {
        using var folder = TestPaths.NewTempFolder();
        ExperimentConfig config = Config(folder.Path, 20) with
        {
            // A learning rate of 1e30 blows the weights up in the first update: every later step is non-finite.
            Optim = new OptimizerSettings { BatchSize = 4, GradAcc = 2, TotalSteps = 20, WarmupSteps = 2, BaseLr = 1e30, MaxConsecutiveSkippedSteps = 3 },
            Checkpoint = new CheckpointSettings { EverySteps = 1, KeepLast = 2 },
        };
        using var events = new StringWriter();

        var (outcome, _, _) = Train(config, events: events);

        Assert.Equal(TrainingEnd.Diverged, outcome.End);
        Assert.Equal(4, outcome.State.Step);
        Assert.Equal(3, outcome.State.SkippedSteps);
        Assert.EndsWith("step-00000001", outcome.LastCheckpoint, StringComparison.Ordinal);
        Assert.Equal(
            [
                "on step 1", "[train] step 1/20", "[checkpoint] step 1 -> step-00000001", "on checkpoint 1 step-00000001",
                "on step 2 skipped", "step 2: loss NaN / gradient norm NaN not finite; update skipped (1 in a row, 1 in total)",
                "on step 3 skipped", "step 3: loss NaN / gradient norm NaN not finite; update skipped (2 in a row, 2 in total)",
                "on step 4 skipped", "step 4: loss NaN / gradient norm NaN not finite; update skipped (3 in a row, 3 in total)",
                $"stopping: 3 steps in a row had a non-finite loss or gradients (limit optim.max_consecutive_skipped_steps = 3). The last good checkpoint is {outcome.LastCheckpoint}; lower the learning rate or check the data, then resume.",
            ],
            Events(events));
        Assert.Equal(["2 train/skipped_steps", "3 train/skipped_steps", "4 train/skipped_steps"], MetricsJournal(folder.Path).Where(m => m.EndsWith("skipped_steps", StringComparison.Ordinal)));
    }

    [Fact]
    public void Run_WithExtraEvaluationMetrics_PrintsTheOverallOnesByNameAndTracksTheRest()
    {
        using var temp = TestPaths.NewTempFolder();
        ExperimentConfig config = Config(temp.File("run"), totalSteps: 3);
        using var events = new StringWriter();
        var extra = new Dictionary<string, double>
        {
            [MetricNames.EvalRougeL] = 12.345,
            [MetricNames.EvalRougeLAllRefs] = 23.456,
            [MetricNames.EvalRougeLOf("question_answering")] = 34.5,
            ["eval/rougeL_debug"] = 1, // eval/ and one slash, but not a number the line shows
            [MetricNames.EvalInstances] = 8,
            [MetricNames.TestRougeL] = 45.6,
        };

        Train(config, events: events, extraEvaluation: _ => extra);

        string line = events.ToString().Split('\n').Single(l => l.StartsWith("[eval] step 3 ", StringComparison.Ordinal));
        Assert.EndsWith(" s | rougeL 12.35 | rougeL_all_refs 23.46 | instances 8", line.TrimEnd('\r'), StringComparison.Ordinal);
        Assert.Contains($"3 {MetricNames.EvalRougeLOf("question_answering")}", MetricsJournal(config.RunDirectory));
        Assert.Contains($"3 {MetricNames.TestRougeL}", MetricsJournal(config.RunDirectory));
    }

    [Fact]
    public void Run_ASecondTime_SaysThatATrainerRunsOnce()
    {
        using var folder = TestPaths.NewTempFolder();
        Trainer? trainer = null;
        Train(Config(folder.Path, 1), ran: t => trainer = t);

        var error = Assert.Throws<InvalidOperationException>(() => trainer!.Run(CancellationToken.None));

        Assert.Equal("A Trainer runs once: make a new one (with the state to start from) for another run.", error.Message);
        Assert.Equal(["step-00000001"], Directory.GetDirectories(Path.Combine(folder.Path, "checkpoints")).Select(Path.GetFileName));
    }

    // The loop's lines and callback calls in order; numbers that vary (timings, losses) cut off at the first " | ".
    private static List<string> Events(StringWriter events) =>
        [.. events.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(" | ")[0]).Select(line =>
            line.IndexOf(" -> ", StringComparison.Ordinal) is int arrow and >= 0 ? line[..(arrow + 4)] + Path.GetFileName(line[(arrow + 4)..]) : line)];

    private static IEnumerable<string> Logged(long step, IEnumerable<string> names) => names.Select(n => $"{step} {n}");

    private static List<string> MetricsJournal(string runDirectory) =>
        [.. File.ReadAllLines(Path.Combine(runDirectory, "metrics.jsonl")).Select(line =>
        {
            Assert.True(MetricLine.TryDecode(System.Text.Encoding.UTF8.GetBytes(line), out MetricPoint point), line);
            return $"{point.Step} {point.Name}";
        })];

    /// <summary>Writes each callback call as a line beside the loop's own lines.</summary>
    private sealed class EventRecorder(TextWriter events) : ITrainingCallback
    {
        public void OnStep(TrainingState state, StepResult result) => events.WriteLine(result.Skipped ? $"on step {state.Step} skipped" : $"on step {state.Step}");

        public void OnEvaluation(long step, IReadOnlyDictionary<string, double> metrics) => events.WriteLine($"on eval {step} ({string.Join(", ", metrics.Keys.Order(StringComparer.Ordinal))})");

        public void OnCheckpoint(long step, string directory) => events.WriteLine($"on checkpoint {step} {Path.GetFileName(directory)}");
    }

    /// <summary>Records each step's loss and asks the loop to stop after a number of steps.</summary>
    private sealed class LossRecorder(List<double> losses, int stopAfter, CancellationTokenSource stop) : ITrainingCallback
    {
        public void OnStep(TrainingState state, StepResult result)
        {
            losses.Add(result.Loss);
            if (losses.Count >= stopAfter)
            {
                stop.Cancel();
            }
        }
    }
}
