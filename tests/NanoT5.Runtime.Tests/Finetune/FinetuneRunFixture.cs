// A tiny fine-tuning experiment for end-to-end tests: a natural-instructions folder of four small tasks, a T5 of a
// few thousand parameters, the committed 1k-piece SentencePiece tokenizer, and a few optimizer steps.
using NanoT5.Checkpoints;
using NanoT5.Config;
using NanoT5.Model;

namespace NanoT5.Tests.Finetune;

internal sealed class FinetuneRunFixture : IDisposable
{
    /// <summary>Training instances: 2 tasks x 6.</summary>
    public const int TrainInstances = 12;

    /// <summary>Test instances: 2 tasks x 3 (more than one evaluation batch, so predict's "every instance" shows).</summary>
    public const int TestInstances = 6;

    private readonly TempFolder folder = TestPaths.NewTempFolder();

    public FinetuneRunFixture()
    {
        SniRoot = Path.Combine(folder.Path, "sni");
        SniFixtures.WriteLayout(
            SniRoot,
            new Dictionary<string, string>
            {
                ["task001_copy"] = SniFixtures.TaskJson("\"Copy the input\"", SniFixtures.Instances("a", 6), "Text Copying"),
                ["task002_swap"] = SniFixtures.TaskJson("\"Swap the two words\"", SniFixtures.Instances("b", 6), "Word Reordering"),
            },
            new Dictionary<string, string>
            {
                ["task101_copy"] = SniFixtures.TaskJson("\"Repeat the input\"", SniFixtures.Instances("c", 3), "Text Copying"),
                ["task102_extract"] = SniFixtures.TaskJson("\"Output the number\"", SniFixtures.Instances("d", 3), "Span Extraction"),
            });
        ModelConfig = Path.Combine(folder.Path, "config.json");
        HfConfigFile.Save(new T5Config { VocabSize = 1152, DModel = 32, DKv = 8, DFf = 64, NumLayers = 2, NumDecoderLayers = 2, NumHeads = 4 }, ModelConfig);
    }

    public string SniRoot { get; }

    public string ModelConfig { get; }

    /// <summary>A new, empty run folder.</summary>
    public string NewRunFolder() => Path.Combine(folder.Path, "runs", Guid.NewGuid().ToString("N"));

    /// <summary>
    /// Fine-tuning for 2 epochs of 3 batches of 4 (6 steps) with dropout (so a resume must restore the random state),
    /// evaluation at the start and every 2 steps on 1 batch, each step logged.
    /// </summary>
    public ExperimentConfig Config(string runDirectory) => new()
    {
        Name = "finetune-test",
        Mode = RunMode.Finetune,
        RunDirectory = runDirectory,
        Model = new ModelSettings { ConfigPath = ModelConfig, Dropout = 0.1 },
        Tokenizer = new TokenizerSettings { Kind = TokenizerKind.SentencePiece, Path = TestPaths.Tokenizer("t5-unigram-1k.model") },
        Finetune = new FinetuneSettings { DataDirectory = SniRoot, MaxSourceLength = 64, MaxTargetLength = 8 },
        Optim = new OptimizerSettings { Name = OptimizerKind.AdamW, BaseLr = 1e-3, BatchSize = 4, Epochs = 2, Schedule = ScheduleKind.Constant, WarmupSteps = 0, GradClip = 0 },
        Eval = new EvaluationSettings { EverySteps = 2, Steps = 1, AtStart = true },
        Logging = new LoggingSettings { EverySteps = 1 },
        Checkpoint = new CheckpointSettings { EverySteps = 100 },
        Tracker = new TrackerSettings { DrainSeconds = 0 },
    };

    /// <summary>A one-line-per-document text file for a pretraining run.</summary>
    public string WriteText()
    {
        string path = Path.Combine(folder.Path, "corpus.txt");
        File.WriteAllLines(path, Enumerable.Range(0, 200).Select(i => $"Sentence number {i} is about the weather, which was fine on day {i % 7}."));
        return path;
    }

    public void Dispose() => folder.Dispose();
}
