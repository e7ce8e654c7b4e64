// predict --engine onnx against predict on the fine-tuning demo's test split (builtin:demo, the default experiment's
// tokenizer, the demo's lengths and batch): the predictions files are identical line for line. The model is the
// demo's shape with a seeded init whose eos competes with ordinary tokens (EndingModel), so rows end at different
// steps, as a trained model's do.
using NanoT5.Checkpoints;
using NanoT5.Config;
using NanoT5.IO;
using NanoT5.Model;
using NanoT5.Runs;
using static TorchSharp.torch;

namespace NanoT5.Tests.Export;

[Collection(ConsoleCollection.Name)]
public sealed class OnnxPredictTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public void PredictWithOnnx_OnTheDemoTestSplit_WritesTorchSharpsPredictionsExactly()
    {
        using var folder = TestPaths.NewTempFolder();
        ExperimentConfig config = DemoConfig(folder.Path, WriteModel(Path.Combine(folder.Path, "model")));

        (int exported, string exportOutput) = ConsoleCollection.Capture(() => ExportRun.Export(config, Console.Out));
        Assert.True(exported == ExitCodes.Success, exportOutput);

        // Each predict writes a record of its own (predictions/<UTC time>/): read the newest after each.
        (int torchCode, _) = ConsoleCollection.Capture(() => FinetuningRun.Predict(config, PredictEngine.TorchSharp));
        string[] torch = File.ReadAllLines(LatestPredictions(config));
        (int onnxCode, string onnxOutput) = ConsoleCollection.Capture(() => FinetuningRun.Predict(config, PredictEngine.Onnx));
        string[] onnx = File.ReadAllLines(LatestPredictions(config));

        Assert.Equal((ExitCodes.Success, ExitCodes.Success), (torchCode, onnxCode));
        Assert.Contains("(ONNX Runtime)", onnxOutput, StringComparison.Ordinal);
        Assert.True(torch.Length >= 100, $"{torch.Length} predictions");
        Assert.Equal(torch, onnx);
    }

    private static string LatestPredictions(ExperimentConfig config) =>
        Path.Combine(MeasurementRecord.Latest(config.RunDirectory, RunFolderLayout.PredictionsDirectory)!, RunFolderLayout.PredictionsFile);

    // experiments/finetune-demo's settings that shape predictions, with the model at modelFolder.
    private static ExperimentConfig DemoConfig(string root, string modelFolder) => new()
    {
        Name = "onnx-predict-test",
        Mode = RunMode.Predict,
        RunDirectory = Path.Combine(root, "run"),
        Model = new ModelSettings { InitFrom = modelFolder },
        Tokenizer = new TokenizerSettings { Kind = TokenizerKind.SentencePiece, Path = TestPaths.Repo("experiments", "default", "spiece.model") },
        Finetune = new FinetuneSettings { DataDirectory = "builtin:demo", MaxSourceLength = 256, MaxTargetLength = 64, MaxInstancesPerTask = 1000, NumPositiveExamples = 0 },
        Optim = new OptimizerSettings { Name = OptimizerKind.AdamW, BaseLr = 2e-3, BatchSize = 32, Schedule = ScheduleKind.Constant, WarmupSteps = 0 },
        Tracker = new TrackerSettings { DrainSeconds = 0 },
    };

    private static string WriteModel(string folder)
    {
        manual_seed(11);
        using var model = new T5ForConditionalGeneration(T5Presets.Get("mini", vocabSize: 8192));
        model.InitializeWeights();
        EndingModel.MakeEosCompete(model, vocabularyForInputs: 8000);
        HfCheckpoint.Save(model, folder);
        return folder;
    }
}
