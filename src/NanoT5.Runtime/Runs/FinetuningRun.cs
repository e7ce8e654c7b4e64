// The fine-tuning entry point, read like nanoT5's main.py in ft mode: config -> environment -> tokenizer -> SNI data ->
// resume point, model, optimizer (RunParts) -> batches -> train (each evaluation adds greedy predictions and RougeL) -> export. Also the
// predict mode (every test instance, predictions.jsonl, RougeL) and evaluate on the test split.
using System.Diagnostics;
using NanoT5.Config;
using NanoT5.Data;
using NanoT5.Data.Tokenizers;
using NanoT5.Finetune;
using NanoT5.IO;
using NanoT5.Tracking;
using NanoT5.Training;

namespace NanoT5.Runs;

/// <summary>Runs the finetune, predict and (on SNI data) evaluate modes of an experiment.</summary>
public static class FinetuningRun
{
    /// <summary>
    /// Fine-tunes as <paramref name="config"/> says, reporting to <paramref name="console"/> (the process's unless given);
    /// returns the process exit code (cancelling <paramref name="stop"/> interrupts it like SIGINT).
    /// </summary>
    public static int Finetune(ExperimentConfig config, IReadOnlyList<ITrainingCallback>? callbacks = null, TimeProvider? time = null, RunConsole? console = null, CancellationToken stop = default)
    {
        RunEnvironment environment = RunEnvironment.Prepare(config);
        T5LayoutTokenizer tokenizer = TextTokenizerFactory.Create(config.Tokenizer);
        SniData data = LoadData(config);
        console ??= RunConsole.Standard;
        using RunParts parts = RunParts.Build(config, tokenizer, environment, console.Error);

        var collator = new SniCollator(FinetuneTokenizer(config, tokenizer), config.Finetune);
        int epochs = config.Optim.Epochs > 0 ? config.Optim.Epochs : int.MaxValue;
        using var train = new SniTrainingSource(data.Train.Items, collator, MicroBatchSize(config), config.Seed, epochs, parts.DataState);
        long totalSteps = TotalSteps(config.Optim, train.BatchesPerEpoch);
        using SniTestBatches test = SniTestBatches.Collate(data.Test, collator, MicroBatchSize(config), config.Seed, config.EvalMicroBatches());
        var scores = new FinetuningScores(parts.Model, tokenizer, config, environment.AutocastDtype);

        TrainingRunParts loop = parts.ForLoop(totalSteps, train, test.AsTrainingBatches) with
        {
            ExtraEvaluation = step => step == totalSteps
                ? scores.WholeTestSplit(Collated(SniBatchPlan.Evaluation(data.Test.Items, MicroBatchSize(config), config.Seed), collator), test.Instances, console.Out)
                : scores.Periodic(test.Batches),
            Notes = [Describe(data, train.BatchesPerEpoch, test)],
        };
        return new TrainingRun(config, environment, tokenizer, parts, loop, console)
        {
            Callbacks = callbacks ?? [],
            Time = time ?? TimeProvider.System,
        }.Run(stop);
    }

    /// <summary>
    /// Greedy predictions of the run's latest checkpoint (or model.init_from) for every test instance, written to
    /// the run folder's predictions.jsonl; prints and tracks RougeL overall and per category.
    /// </summary>
    public static int Predict(ExperimentConfig config, PredictEngine engine = PredictEngine.TorchSharp)
    {
        RunEnvironment environment = RunEnvironment.Prepare(config);
        T5LayoutTokenizer tokenizer = TextTokenizerFactory.Create(config.Tokenizer);
        SniData data = LoadData(config);
        using PredictModel trained = PredictModel.Load(config, engine, tokenizer, environment);
        var collator = new SniCollator(FinetuneTokenizer(config, tokenizer), config.Finetune);
        var plan = SniBatchPlan.Evaluation(data.Test.Items, MicroBatchSize(config), config.Seed);

        ExperimentConfig record = MeasurementRecord.For(config, RunFolderLayout.PredictionsDirectory, TimeProvider.System);
        return Measurement.Record(record, trained.Step, progress =>
        {
            progress.Line($"[predict] {trained.Source} (step {trained.Step}): {data.Test.Items.Count} instances of {data.Test.Tasks.Count} test tasks in {plan.Count} batches");
            var watch = Stopwatch.StartNew();
            TimeSpan reported = TimeSpan.Zero;
            IReadOnlyList<SniPrediction> predictions = SniPredictor.Predict(trained.Generate, Collated(plan, collator), tokenizer, done =>
            {
                // A line every half minute: SNI's ~12,000 test instances take a while, the demo's 300 do not.
                if (watch.Elapsed - reported >= TimeSpan.FromSeconds(30) && done < plan.Count)
                {
                    reported = watch.Elapsed;
                    progress.Line(FormattableString.Invariant($"[predict] {done}/{plan.Count} batches, {watch.Elapsed.TotalSeconds:F0} s"));
                }
            });
            string file = Path.Combine(record.RunDirectory, RunFolderLayout.PredictionsFile);
            SniPredictionFile.Write(file, predictions);
            SniRougeL rouge = SniRougeL.Compute(predictions);
            foreach (string line in rouge.Report())
            {
                progress.Line(line);
            }

            progress.Line(FormattableString.Invariant($"predictions: {file} ({watch.Elapsed.TotalSeconds:F1} s)"));
            return rouge.Metrics(MetricNames.PredictRougeL, MetricNames.PredictRougeLAllRefs);
        });
    }

    /// <summary>
    /// `finetune --check-data`: reads the experiment's natural-instructions split as a run would and writes the
    /// check's report to <paramref name="output"/>; <see cref="ExitCodes.CheckFailed"/> when a run would stop.
    /// </summary>
    public static int CheckData(ExperimentConfig config, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(output);
        T5LayoutTokenizer tokenizer = TextTokenizerFactory.Create(config.Tokenizer);
        string root = SniReader.ResolveRoot(config.Finetune, config.RunDirectory);
        SniDataCheckReport report = SniDataCheck.Run(root, config.Finetune, config.Seed, FinetuneTokenizer(config, tokenizer), TimeProvider.System);
        foreach (string line in report.Lines())
        {
            output.WriteLine(line);
        }

        return report.Passed ? ExitCodes.Success : ExitCodes.CheckFailed;
    }

    /// <summary>Loss and token accuracy of the run's latest checkpoint (or model.init_from) on eval.steps batches of the test split.</summary>
    public static int Evaluate(ExperimentConfig config)
    {
        RunEnvironment environment = RunEnvironment.Prepare(config);
        T5LayoutTokenizer tokenizer = TextTokenizerFactory.Create(config.Tokenizer);
        SniData data = LoadData(config);
        using TrainedModel trained = TrainedModel.Load(config, tokenizer, environment.Device, "evaluate");
        using SniTestBatches test = SniTestBatches.Collate(data.Test, new SniCollator(FinetuneTokenizer(config, tokenizer), config.Finetune), MicroBatchSize(config), config.Seed, config.EvalMicroBatches());
        return Measurement.Evaluate(config, environment, trained, test.AsTrainingBatches());
    }

    /// <summary>
    /// Optimizer steps of a run: nanoT5's epochs x (micro-batches per epoch / grad_acc) when optim.epochs is set,
    /// else optim.total_steps.
    /// </summary>
    public static long TotalSteps(OptimizerSettings optim, int batchesPerEpoch)
    {
        ArgumentNullException.ThrowIfNull(optim);
        if (optim.Epochs == 0)
        {
            return optim.TotalSteps;
        }

        long steps = (long)optim.Epochs * (batchesPerEpoch / optim.GradAcc);
        return steps > 0 ? steps : throw new InvalidDataException(
            $"optim.epochs {optim.Epochs} gives no optimizer step: an epoch has {batchesPerEpoch} micro-batches, fewer than optim.grad_acc ({optim.GradAcc}). Use more training instances or a smaller batch.");
    }

    // What the collator encodes with: nanoT5's HF T5TokenizerFast by default (finetune.match_hf_tokenizer).
    private static ITextTokenizer FinetuneTokenizer(ExperimentConfig config, ITextTokenizer tokenizer) =>
        config.Finetune.MatchHfTokenizer ? HfT5TokenizerFast.Wrap(tokenizer) : tokenizer;

    // nanoT5's DataLoader batch size: the optimizer step's rows split over grad_acc micro-batches.
    private static int MicroBatchSize(ExperimentConfig config) => config.Optim.BatchSize / config.Optim.GradAcc;

    private static SniData LoadData(ExperimentConfig config)
    {
        SniData data = SniReader.Load(config.Finetune, config.Seed, config.RunDirectory);
        foreach (string warning in data.Warnings)
        {
            Console.Error.WriteLine($"warning: {warning}");
        }

        return data;
    }

    // Each batch is collated when the predictor asks for it and disposed when it asks for the next.
    private static IEnumerable<SniBatch> Collated(IEnumerable<IReadOnlyList<SniRow>> plan, SniCollator collator)
    {
        foreach (IReadOnlyList<SniRow> rows in plan)
        {
            using SniBatch batch = collator.Collate(rows);
            yield return batch;
        }
    }

    private static string Describe(SniData data, int batchesPerEpoch, SniTestBatches test) =>
        $"data: {data.Root}: {data.Train.Items.Count} training instances of {data.Train.Tasks.Count} tasks ({batchesPerEpoch} batches per epoch); " +
        $"evaluation on {test.Instances} instances of the {data.Test.Items.Count} of {data.Test.Tasks.Count} test tasks ({test.Batches.Count} batches), " +
        $"the final one on all {data.Test.Items.Count}" +
        (data.SkippedInstances > 0 ? $"; {data.SkippedInstances} malformed instances skipped" : string.Empty);
}
