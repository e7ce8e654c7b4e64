using System.Text.Json;
using NanoT5.Checkpoints;
using NanoT5.Cli;
using NanoT5.Config;
using NanoT5.IO;
using NanoT5.Runs;
using NanoT5.Tracking;
using NanoT5.Training;

namespace NanoT5.Tests.Finetune;

[Collection(ConsoleCollection.Name)]
public sealed class FinetuningRunTests : IClassFixture<FinetuneRunFixtureHolder>
{
    private readonly FinetuneRunFixture fixture;

    public FinetuningRunTests(FinetuneRunFixtureHolder holder) => fixture = holder.Fixture;

    [Fact]
    [Trait("Category", "Slow")]
    public void Finetune_TinyRun_WritesCheckpointExportAndRougeLMetricsFromStepZero()
    {
        string run = fixture.NewRunFolder();

        (int code, string output) = ConsoleCollection.Capture(() => FinetuningRun.Finetune(fixture.Config(run)));

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("6 steps (2 epochs)", output, StringComparison.Ordinal);
        Assert.Contains($"{FinetuneRunFixture.TrainInstances} training instances of 2 tasks (3 batches per epoch)", output, StringComparison.Ordinal);
        Assert.Contains("[eval] step 0 |", output, StringComparison.Ordinal);
        Assert.Contains("| rougeL_all_refs ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("rougeL/Text Copying", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run, RunFolderLayout.ModelDirectory, "config.json")));
        Assert.True(File.Exists(Path.Combine(run, RunFolderLayout.ModelDirectory, "spiece.model")));
        Assert.True(Directory.Exists(Path.Combine(run, "checkpoints", "step-00000006")));
        ILookup<string, long> metrics = Metrics(run);
        // Evaluations at the start, every 2 steps and (already done) at the last step.
        Assert.Equal([0L, 2, 4, 6], metrics[MetricNames.EvalRougeL].Order());
        Assert.Equal([0L, 2, 4, 6], metrics[MetricNames.EvalLoss].Order());
        Assert.Equal(4, metrics[MetricNames.EvalRougeLAllRefs].Count());
        Assert.Equal(4, metrics[MetricNames.EvalRougeLOf("Text Copying")].Count());
        Assert.Equal(4, metrics[MetricNames.PerCategory(MetricNames.EvalRougeLAllRefs, "Text Copying")].Count());
        Assert.Equal(6, metrics[MetricNames.TrainLoss].Count());
    }

    [Fact]
    public void Finetune_FinalEvaluation_DecodesTheWholeTestSplit_PeriodicOnesSayTheyArePartial()
    {
        string run = fixture.NewRunFolder();

        (int code, string output) = ConsoleCollection.Capture(() => FinetuningRun.Finetune(fixture.Config(run)));

        // eval.steps 1 of batch 4: periodic evaluations decode 4 of the 6 test instances; the final one all 6.
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("evaluation on 4 instances of the 6 of 2 test tasks (1 batches), the final one on all 6", output, StringComparison.Ordinal);
        Assert.EndsWith("| instances 4", Line(output, "[eval] step 2 |"), StringComparison.Ordinal);
        Assert.Contains("[test] the whole test split: 6 instances", output, StringComparison.Ordinal);
        Assert.Contains("[test] count: 6", output, StringComparison.Ordinal);
        Assert.Contains("[test] rougeL for category 'Text Copying': ", output, StringComparison.Ordinal);
        Dictionary<(string, long), double> values = File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(line => JsonDocument.Parse(line).RootElement)
            .ToDictionary(e => (e.GetProperty("name").GetString()!, e.GetProperty("step").GetInt64()), e => e.GetProperty("value").GetDouble());
        Assert.Equal(6, values[(MetricNames.TestInstances, 6)]);
        Assert.Equal([4.0, 4, 4, 4], new long[] { 0, 2, 4, 6 }.Select(step => values[(MetricNames.EvalInstances, step)]));
        Assert.Equal([6L], Metrics(run)[MetricNames.TestRougeL]);
        Assert.Equal([6L], Metrics(run)[MetricNames.PerCategory(MetricNames.TestRougeLAllRefs, "Text Copying")]);
        Assert.InRange(values[(MetricNames.TestRougeL, 6)], 0, 100);
    }

    [Fact]
    public void Predict_AfterFinetuning_WritesEveryTestInstanceAndTheRougeVerbScoresTheFileTheSame()
    {
        string run = fixture.NewRunFolder();
        ExperimentConfig config = fixture.Config(run) with { Optim = fixture.Config(run).Optim with { Epochs = 1 } };
        ConsoleCollection.Capture(() => FinetuningRun.Finetune(config));
        Dictionary<string, string> identity = IdentityFiles(run);

        (int code, string output) = ConsoleCollection.Capture(() => FinetuningRun.Predict(config with { Mode = RunMode.Predict }));

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("checkpoints/step-00000003 (step 3)", output, StringComparison.Ordinal);
        string record = MeasurementRecord.Latest(run, RunFolderLayout.PredictionsDirectory)!;
        Assert.Contains($"recorded in: {record} (the run itself is unchanged)", output, StringComparison.Ordinal);
        Assert.Equal(identity, IdentityFiles(run));
        string file = Path.Combine(record, RunFolderLayout.PredictionsFile);
        string[] lines = File.ReadAllLines(file);
        Assert.Equal(FinetuneRunFixture.TestInstances, lines.Length);
        using (JsonDocument first = JsonDocument.Parse(lines[0]))
        {
            Assert.Equal(["task", "category", "id", "prediction", "references", "label_reference"], first.RootElement.EnumerateObject().Select(p => p.Name));
        }

        (int rougeCode, string rougeOutput) = ConsoleCollection.Capture(() => CommandLine.Run(["rouge", file]));
        Assert.Equal(ExitCodes.Success, rougeCode);
        string mean = Line(rougeOutput, "rougeL: ")["rougeL: ".Length..];
        Assert.StartsWith($"rougeL_all_refs: {mean} ", Line(output, "rougeL_all_refs: "), StringComparison.Ordinal);
        Assert.Contains($"count: {FinetuneRunFixture.TestInstances}", output, StringComparison.Ordinal);
        Assert.Contains("rougeL for category 'Span Extraction': ", output, StringComparison.Ordinal);
        ILookup<string, long> metrics = Metrics(record);
        Assert.Empty(Metrics(run)[MetricNames.PredictRougeL]);
        Assert.Equal([3L], metrics[MetricNames.PredictRougeL]);
        Assert.Equal([3L], metrics[MetricNames.PredictRougeLAllRefs]);
        Assert.Equal([3L], metrics[MetricNames.PerCategory(MetricNames.PredictRougeL, "Span Extraction")]);
    }

    [Theory]
    [InlineData(3)] // at the epoch boundary
    [InlineData(4)] // inside the second epoch
    [Trait("Category", "Slow")]
    public void Finetune_InterruptedAndResumed_ReproducesTheUninterruptedLossesAndWeightsBitForBit(int stopAfter)
    {
        string straight = fixture.NewRunFolder();
        string resumed = fixture.NewRunFolder();
        var fullLosses = new List<double>();
        var firstLosses = new List<double>();
        var secondLosses = new List<double>();
        using var stop = new CancellationTokenSource();

        (int full, _) = ConsoleCollection.Capture(() => FinetuningRun.Finetune(fixture.Config(straight), [new LossRecorder(fullLosses)]));
        (int first, _) = ConsoleCollection.Capture(() => FinetuningRun.Finetune(fixture.Config(resumed), [new LossRecorder(firstLosses, stopAfter, stop)], stop: stop.Token));
        (int second, string output) = ConsoleCollection.Capture(() => FinetuningRun.Finetune(fixture.Config(resumed), [new LossRecorder(secondLosses)]));

        Assert.Equal((ExitCodes.Success, ExitCodes.Interrupted, ExitCodes.Success), (full, first, second));
        Assert.Contains($"resuming from step {stopAfter}", output, StringComparison.Ordinal);
        Assert.Equal(6, fullLosses.Count);
        Assert.Equal(fullLosses, firstLosses.Concat(secondLosses));
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(straight, RunFolderLayout.ModelDirectory, "model.safetensors")),
            File.ReadAllBytes(Path.Combine(resumed, RunFolderLayout.ModelDirectory, "model.safetensors")));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void EvaluateVerb_FinetuningConfig_MeasuresTheTestSplitAtTheCheckpointStepInARecordOfItsOwnAndTheRunStillExtends()
    {
        string run = fixture.NewRunFolder();
        ExperimentConfig config = fixture.Config(run) with { Optim = fixture.Config(run).Optim with { Epochs = 1 }, Eval = new EvaluationSettings { EverySteps = 100, Steps = 2 } };
        ConsoleCollection.Capture(() => FinetuningRun.Finetune(config));
        Dictionary<string, string> identity = IdentityFiles(run);
        string file = Path.Combine(Path.GetDirectoryName(run)!, Path.GetFileName(run) + "-evaluate.json");
        ExperimentConfigJson.Save(config with { Mode = RunMode.Evaluate }, file);

        (int code, string output) = ConsoleCollection.Capture(() => CommandLine.Run(["evaluate", "--config", file]));
        (int again, _) = ConsoleCollection.Capture(() => CommandLine.Run(["evaluate", "--config", file]));

        Assert.Equal((ExitCodes.Success, ExitCodes.Success), (code, again));
        Assert.Contains("(step 3): loss ", output, StringComparison.Ordinal);
        Assert.Equal(identity, IdentityFiles(run));
        string[] records = Directory.GetDirectories(Path.Combine(run, RunFolderLayout.EvaluationsDirectory));
        Assert.Equal(2, records.Length);
        string loss = output.Split("(step 3): loss ")[1].Split(' ')[0];
        Assert.Contains(records, r => Math.Abs(File.ReadAllLines(Path.Combine(r, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Single(e => e.GetProperty("name").GetString() == MetricNames.EvalLoss).GetProperty("value").GetDouble() - double.Parse(loss, System.Globalization.CultureInfo.InvariantCulture)) < 1e-4);
        Assert.Contains("\"mode\": \"evaluate\"", File.ReadAllText(Path.Combine(records[0], "config.resolved.json")), StringComparison.Ordinal);

        // The run itself extends: a second epoch resumes from the checkpoint the evaluations read.
        (int extended, string extension) = ConsoleCollection.Capture(() => FinetuningRun.Finetune(config with { Optim = config.Optim with { Epochs = 2 } }));
        Assert.Equal(ExitCodes.Success, extended);
        Assert.Contains("resuming from step 3", extension, StringComparison.Ordinal);
        Assert.Contains("| 2 batches", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Predict_FromAPretrainingRunFolder_LoadsItsExportedModel()
    {
        string pretrained = fixture.NewRunFolder();
        string text = fixture.WriteText();
        ExperimentConfig pretraining = fixture.Config(pretrained) with
        {
            Mode = RunMode.Pretrain,
            Data = new DataSettings { TrainSources = [text], ValidationSources = [text], InputLength = 64, ShuffleBuffer = 16, Workers = 1 },
            Optim = new OptimizerSettings { BatchSize = 4, TotalSteps = 2, WarmupSteps = 1 },
        };
        (int pretrainCode, _) = ConsoleCollection.Capture(() => PretrainingRun.Pretrain(pretraining));
        string run = fixture.NewRunFolder();
        ExperimentConfig config = fixture.Config(run) with { Mode = RunMode.Predict, Model = new ModelSettings { InitFrom = pretrained } };

        (int code, string output) = ConsoleCollection.Capture(() => FinetuningRun.Predict(config));

        Assert.Equal((ExitCodes.Success, ExitCodes.Success), (pretrainCode, code));
        Assert.Contains($"[predict] {pretrained} (step 0): {FinetuneRunFixture.TestInstances} instances of 2 test tasks in 2 batches", output, StringComparison.Ordinal);
        Assert.Equal(FinetuneRunFixture.TestInstances, File.ReadAllLines(Path.Combine(MeasurementRecord.Latest(run, RunFolderLayout.PredictionsDirectory)!, RunFolderLayout.PredictionsFile)).Length);
    }

    [Fact]
    public void PredictVerb_NoCheckpointAndNoInitFrom_SaysWhereWeightsCanComeFrom()
    {
        string run = fixture.NewRunFolder();
        string file = Path.Combine(Path.GetDirectoryName(run)!, $"{Path.GetFileName(run)}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        ExperimentConfigJson.Save(fixture.Config(run) with { Mode = RunMode.Predict }, file);

        (int code, _, string error) = ConsoleCollection.CaptureWithError(() => CommandLine.Run(["predict", "--config", file]));

        Assert.Equal(ExitCodes.UsageOrInput, code);
        Assert.Contains($"predict needs weights: point run_directory at a run with checkpoints ({run} has none), or set model.init_from", error, StringComparison.Ordinal);
    }

    // What makes the run the run: evaluate and predict must leave these byte for byte.
    private static Dictionary<string, string> IdentityFiles(string run) =>
        new[] { "config.resolved.json", "summary.json", "metrics.jsonl" }.ToDictionary(f => f, f => File.ReadAllText(Path.Combine(run, f)));

    private static ILookup<string, long> Metrics(string run) =>
        File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(line => JsonDocument.Parse(line).RootElement)
            .ToLookup(e => e.GetProperty("name").GetString()!, e => e.GetProperty("step").GetInt64());

    private static string Line(string output, string prefix) =>
        output.Split(Environment.NewLine).Single(line => line.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>Records each step's loss; optionally cancels after a number of steps.</summary>
    private sealed class LossRecorder(List<double> losses, int stopAfter = int.MaxValue, CancellationTokenSource? stop = null) : ITrainingCallback
    {
        public void OnStep(TrainingState state, StepResult result)
        {
            losses.Add(result.Loss);
            if (losses.Count >= stopAfter)
            {
                stop?.Cancel();
            }
        }
    }
}

/// <summary>One fixture folder for the class (xunit class fixtures need a public type).</summary>
public sealed class FinetuneRunFixtureHolder : IDisposable
{
    internal FinetuneRunFixture Fixture { get; } = new();

    public void Dispose() => Fixture.Dispose();
}
