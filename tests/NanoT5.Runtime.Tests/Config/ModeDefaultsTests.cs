// A JSON config that leaves settings out gets its mode's defaults: nanoT5's task/ft.yaml values when the run uses
// fine-tuning data, pretraining's otherwise; what the file sets always wins.
using NanoT5.Cli;
using NanoT5.Config;

namespace NanoT5.Tests.Config;

public sealed class ModeDefaultsTests
{
    private const string OnlyTheData = """{ "finetune": { "data_directory": "builtin:demo" }, "tokenizer": { "kind": "gpt2" } }""";

    [Fact]
    public void Finetune_ConfigNamingOnlyTheDataDirectory_GetsNanoT5sFinetuningDefaults()
    {
        using TempFolder folder = TestPaths.NewTempFolder();
        string file = folder.File("my.json");
        File.WriteAllText(file, OnlyTheData);

        ExperimentConfig config = ExperimentConfigOption.Resolve(new FileInfo(file), generated: null, RunMode.Finetune);

        Assert.Equal(RunMode.Finetune, config.Mode);
        Assert.Equal(
            (OptimizerKind.AdamW, 5e-5, 8, 2, 0, ScheduleKind.Constant, 0.0, 200),
            (config.Optim.Name, config.Optim.BaseLr, config.Optim.BatchSize, config.Optim.Epochs, config.Optim.WarmupSteps, config.Optim.Schedule, config.Optim.GradClip, config.Eval.Steps));
    }

    [Fact]
    public void Pretrain_TheSameKindOfFile_KeepsPretrainingDefaults()
    {
        ExperimentConfig config = ExperimentConfigJson.Deserialize("""{ "data": { "train_sources": ["builtin:dotnet-docs"] } }""", "test", RunMode.Pretrain);

        Assert.Equal(
            (OptimizerKind.AdamWScale, 2e-2, 128, 0, 10_000, ScheduleKind.Cosine, 1.0, 500),
            (config.Optim.Name, config.Optim.BaseLr, config.Optim.BatchSize, config.Optim.Epochs, config.Optim.WarmupSteps, config.Optim.Schedule, config.Optim.GradClip, config.Eval.Steps));
    }

    [Fact]
    public void Deserialize_SettingsTheFileSets_WinOverTheFinetuningDefaults()
    {
        ExperimentConfig config = ExperimentConfigJson.Deserialize("""{ "optim": { "base_lr": 1e-3, "schedule": "cosine" }, "eval": {} }""", "test", RunMode.Predict);

        Assert.Equal((1e-3, ScheduleKind.Cosine), (config.Optim.BaseLr, config.Optim.Schedule));
        Assert.Equal((OptimizerKind.AdamW, 8, 200), (config.Optim.Name, config.Optim.BatchSize, config.Eval.Steps));
    }

    [Theory]
    [InlineData("""{ "mode": "finetune" }""", 8)]
    [InlineData("""{ "mode": "evaluate", "finetune": { "data_directory": "builtin:demo" } }""", 8)]
    [InlineData("""{ "mode": "evaluate" }""", 128)]
    [InlineData("""{ }""", 128)]
    public void Deserialize_WithoutAVerb_FollowsTheConfigsOwnMode(string json, int batchSize) =>
        Assert.Equal(batchSize, ExperimentConfigJson.Deserialize(json, "test").Optim.BatchSize);

    [Fact]
    public void Deserialize_AResolvedConfig_ReadsBackUnchangedWhateverTheMode()
    {
        var pretraining = new ExperimentConfig { Name = "x", Data = new DataSettings { TrainSources = ["builtin:dotnet-docs"] } };

        ExperimentConfig read = ExperimentConfigJson.Deserialize(ExperimentConfigJson.Serialize(pretraining), "test", RunMode.Finetune);

        Assert.Equal(ExperimentConfigJson.Serialize(pretraining), ExperimentConfigJson.Serialize(read));
    }
}
