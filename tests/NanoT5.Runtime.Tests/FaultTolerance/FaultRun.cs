using System.Text.Json.Nodes;
using NanoT5.Checkpoints;
using NanoT5.Config;
using NanoT5.Model;

namespace NanoT5.Tests.FaultTolerance;

/// <summary>A tiny pretraining run on disk (config, model config) that trains in seconds on the CPU.</summary>
internal sealed class FaultRun : IDisposable
{
    private readonly TempFolder folder = TestPaths.NewTempFolder();

    public FaultRun(Func<ExperimentConfig, ExperimentConfig>? adjust = null)
    {
        var model = new T5Config { VocabSize = 1152, DModel = 32, DKv = 8, DFf = 64, NumLayers = 1, NumDecoderLayers = 1, NumHeads = 4 };
        HfConfigFile.Save(model, folder.File("model-config.json"));
        Config = new ExperimentConfig
        {
            Name = "fault",
            RunDirectory = folder.File("run"),
            Model = new ModelSettings { ConfigPath = folder.File("model-config.json") },
            Tokenizer = new TokenizerSettings { Kind = TokenizerKind.SentencePiece, Path = TestPaths.Tokenizer("t5-unigram-1k.model") },
            Data = new DataSettings { TrainSources = ["builtin:dotnet-docs"], InputLength = 32, ShuffleBuffer = 64, Workers = 1 },
            Optim = new OptimizerSettings { BatchSize = 4, TotalSteps = 8, WarmupSteps = 2, BaseLr = 1e-2 },
            Logging = new LoggingSettings { EverySteps = 1 },
            Eval = new EvaluationSettings { EverySteps = 1000, Steps = 1 },
            Checkpoint = new CheckpointSettings { EverySteps = 2, KeepLast = 10 },
        };
        Config = adjust?.Invoke(Config) ?? Config;
        ExperimentConfigJson.Save(Config, ConfigPath);
    }

    public ExperimentConfig Config { get; }

    public string ConfigPath => folder.File("experiment.json");

    public string RunDirectory => Config.RunDirectory;

    public string Folder => folder.Path;

    public string[] Pretrain => ["pretrain", "--config", ConfigPath];

    /// <summary>train/loss by step from metrics.jsonl.</summary>
    public SortedDictionary<long, double> Losses()
    {
        var losses = new SortedDictionary<long, double>();
        foreach (string line in File.ReadLines(Path.Combine(RunDirectory, "metrics.jsonl")))
        {
            if (JsonNode.Parse(line) is JsonObject point && point["name"]?.GetValue<string>() == "train/loss")
            {
                losses.TryAdd(point["step"]!.GetValue<long>(), point["value"]!.GetValue<double>());
            }
        }

        return losses;
    }

    /// <summary>Complete checkpoint steps on disk.</summary>
    public long[] CheckpointSteps() => Directory.Exists(Path.Combine(RunDirectory, "checkpoints"))
        ? Directory.GetDirectories(Path.Combine(RunDirectory, "checkpoints"), "step-*").Select(d => long.Parse(Path.GetFileName(d)[5..], System.Globalization.CultureInfo.InvariantCulture)).Order().ToArray()
        : [];

    public string? Verify(long step) => TrainingCheckpointStore.Verify(Path.Combine(RunDirectory, "checkpoints", $"step-{step:D8}"));

    public byte[] ExportedWeights() => File.ReadAllBytes(Path.Combine(RunDirectory, "model", "model.safetensors"));

    public void Dispose() => folder.Dispose();
}
