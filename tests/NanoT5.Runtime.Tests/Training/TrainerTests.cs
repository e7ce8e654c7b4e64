using NanoT5.Checkpoints;
using NanoT5.Config;
using NanoT5.Model;
using NanoT5.Optim;
using NanoT5.Tracking;
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

    private static (TrainingOutcome Outcome, List<double> Losses, Dictionary<string, Tensor> Weights) Train(ExperimentConfig config, int stopAfter = int.MaxValue)
    {
        var store = new TrainingCheckpointStore(config.RunDirectory, config.Checkpoint.KeepLast);
        StoredCheckpoint? resume = store.FindLatest();
        torch.manual_seed(config.Seed);
        var model = new T5ForConditionalGeneration(Small);
        model.InitializeWeights();
        using IOptimizer optimizer = OptimizerFactory.Create(config.Optim, model.named_parameters());
        var state = new TrainingState();
        if (resume is not null)
        {
            TrainingCheckpointStore.Restore(resume, model, optimizer);
            state = resume.State;
            using var rng = torch.empty(resume.State.TorchRngState is null ? 0 : Convert.FromBase64String(resume.State.TorchRngState).Length, dtype: ScalarType.Byte);
            rng.bytes = Convert.FromBase64String(resume.State.TorchRngState!);
            torch.set_rng_state(rng);
        }

        var schedule = OptimizerFactory.CreateSchedule(config.Optim, config.Optim.TotalSteps);
        using var source = new SyntheticBatchSource(seed: 5, vocab: 64, rows: 2, resume?.ReadDataState());
        var tracker = ExperimentTracker.Start(config, new TrackerOptions { Log = TextWriter.Null });
        using var stop = new CancellationTokenSource();
        var losses = new List<double>();
        var step = new TrainingStep(model, optimizer, schedule, config.Optim.GradClip);
        var context = new TrainerContext
        {
            Config = config,
            Model = model,
            Optimizer = optimizer,
            Step = step,
            Train = source,
            Callbacks = [new LossRecorder(losses, stopAfter, stop)],
            Validation = () => Enumerable.Range(0, 2).Select(i => new SyntheticBatchSource(seed: 99, vocab: 64, rows: 2).Next()!),
            Tracker = tracker,
            Checkpoints = store,
            Progress = new ProgressReporter(TextWriter.Null, interactive: false, config.Optim.TotalSteps, TimeProvider.System),
            TotalSteps = config.Optim.TotalSteps,
            InitialState = state,
        };

        TrainingOutcome outcome = new Trainer(context).Run(stop.Token);
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
