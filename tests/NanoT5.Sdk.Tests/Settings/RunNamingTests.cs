// -p: overrides that shape the model name the run; the ones a run may change on resume do not. Both follow the
// settings table's OnResume, as the runtime's RunIdentity does, so a renamed run is never refused and a refused
// change always renames.
using NanoT5.Config.Settings;
using NanoT5.Sdk.Settings;

namespace NanoT5.Sdk.Tests.Settings;

public sealed class RunNamingTests
{
    [Fact]
    public void Overrides_that_shape_the_model_name_the_run_in_catalog_order_and_others_do_not()
    {
        var globals = new Dictionary<string, string>
        {
            ["NanoT5LearningRate"] = "1e-2", ["nanot5seed"] = "7", ["NanoT5EvalEvery"] = "50", ["NanoT5TotalSteps"] = "1200",
            ["NanoT5Device"] = "cuda", ["Configuration"] = "Release", ["NanoT5RunArguments"] = "--x",
        };

        Assert.Equal("default-seed-7-learning-rate-1e-2", RunNaming.Name("default", globals));
        Assert.Equal("default", RunNaming.Name("default", new Dictionary<string, string> { ["NanoT5LogEvery"] = "1" }));
    }

    [Fact]
    public void A_long_or_odd_value_becomes_a_short_folder_name_part_with_a_hash()
    {
        string name = RunNaming.Name("exp", new Dictionary<string, string> { ["NanoT5TokenizerPath"] = "/data/tokenizers/my spiece (v2).model" });

        Assert.Matches(@"^exp-tokenizer-path-_data_tokenizer-[0-9a-f]{8}$", name);
        Assert.NotEqual(name, RunNaming.Name("exp", new Dictionary<string, string> { ["NanoT5TokenizerPath"] = "/data/tokenizers/my spiece (v3).model" }));
    }

    [Fact]
    public void A_generated_name_longer_than_a_folder_name_may_be_is_cut_with_a_hash_of_the_whole()
    {
        // Eight overrides of 24-character values on a long base name: 300+ bytes before shortening.
        var globals = new[] { "LearningRate", "Seed", "BatchSize", "GradAcc", "WarmupSteps", "Dropout", "WeightDecay", "NoiseDensity" }
            .ToDictionary(p => "NanoT5" + p, p => "1234567890.1234567890.123");
        string name = RunNaming.Name(new string('e', 100), globals);

        Assert.Equal(255, System.Text.Encoding.UTF8.GetByteCount(name));
        Assert.Matches(@"^e{100}-seed-1234567890.1234-[0-9a-f]{8}-dropout-.*-[0-9a-f]{8}$", name);
        Assert.NotEqual(name, RunNaming.Name(new string('e', 100), new Dictionary<string, string>(globals) { ["NanoT5Seed"] = "7" }));
        Assert.Equal("exp-seed-7", RunNaming.Name("exp", new Dictionary<string, string> { ["NanoT5Seed"] = "7" }));
    }

    [Fact]
    public void Each_of_todays_config_settings_names_the_run_unless_a_resume_may_change_it_as_before()
    {
        // The pin of the settings as they were when RunNaming kept its own list (a new setting follows its OnResume, below).
        const string DoNotName =
            "NanoT5Name NanoT5Mode NanoT5Device NanoT5Threads NanoT5RunDirectory NanoT5TrainSources NanoT5ValidationSources NanoT5DataWorkers " +
            "NanoT5MaxBadDataFraction NanoT5HttpRetries NanoT5FinetuneData NanoT5StrictData NanoT5TotalSteps NanoT5Epochs NanoT5EvalEvery " +
            "NanoT5EvalSteps NanoT5EvalAtStart NanoT5LogEvery NanoT5LogGradL2 NanoT5LogWeightsL2 NanoT5CheckpointEvery NanoT5KeepLast " +
            "NanoT5Resume NanoT5Tracker NanoT5TrackerUrl NanoT5TrackerExperiment NanoT5TrackerTokenVariable NanoT5TrackerTags " +
            "NanoT5TrackerDrainSeconds NanoT5TrackerSendInterval NanoT5TrackerRequestTimeout NanoT5ExportDirectory NanoT5ExportFrom NanoT5ExportWeights";
        const string Name =
            "NanoT5Seed NanoT5Precision NanoT5LibTorch NanoT5ModelPreset NanoT5ModelConfig NanoT5InitFrom NanoT5Dropout " +
            "NanoT5Attention NanoT5Tokenizer NanoT5TokenizerPath NanoT5InputLength NanoT5NoiseDensity NanoT5MeanNoiseSpanLength " +
            "NanoT5ShuffleBuffer NanoT5DocumentsPerChunk NanoT5EosAfterDocument NanoT5TextSampleBy NanoT5FinetuneSplit " +
            "NanoT5MaxInstancesPerTask NanoT5MaxSourceLength NanoT5MaxTargetLength NanoT5AddTaskName NanoT5AddTaskDefinition " +
            "NanoT5PositiveExamples NanoT5NegativeExamples NanoT5AddExplanation NanoT5MatchHfTokenizer NanoT5Optimizer NanoT5LearningRate " +
            "NanoT5BatchSize NanoT5GradAcc NanoT5WarmupSteps NanoT5Schedule NanoT5FinalCosine NanoT5WeightDecay NanoT5GradClip NanoT5MaxSkippedSteps";
        var expected = DoNotName.Split(' ').Select(p => (p, false)).Concat(Name.Split(' ').Select(p => (p, true))).OrderBy(e => e.p, StringComparer.Ordinal);

        Assert.Equal(expected, expected.Select(e => (e.p, RunNaming.NamesRun(SettingTable.Find(e.p)!))));
        Assert.All(SettingTable.All.Where(s => s.ConfigPath is null), s => Assert.False(RunNaming.NamesRun(s), s.Property));
    }

    [Fact]
    public void A_setting_names_the_run_exactly_when_its_table_entry_refuses_another_value_on_resume()
    {
        foreach (Setting setting in SettingTable.All.Where(s => s.ConfigPath is not null && s != SettingTable.Mode))
        {
            Assert.True(RunNaming.NamesRun(setting) == (setting.OnResume == ResumePolicy.Fixed), setting.Property);
        }

        Assert.True(RunNaming.NamesRun(new Setting("NanoT5Foo", "Data.Foo", SettingKind.Integer, "3", "A new data setting.")));
        Assert.False(RunNaming.NamesRun(new Setting("NanoT5Bar", "Logging.Bar", SettingKind.Integer, "3", "A new logging setting.") { OnResume = ResumePolicy.MayChange }));
    }
}
