// How a resume treats each setting: the pin of the settings as they were when RunIdentity kept its own lists (each
// one refused, accepted, or accepted when it grows), and the rule that now decides it for every setting, new ones
// included: the settings table's OnResume; a JSON leaf that belongs to no setting stays fixed.
using System.Text.Json.Nodes;
using NanoT5.Config;
using NanoT5.Config.Settings;
using NanoT5.Runs;

namespace NanoT5.Tests.Runs;

public sealed class ResumePolicyTests
{
    // Today's settings by what a resume with another value does (a new setting is checked against its OnResume below).
    private const string Accepted =
        "NanoT5Name NanoT5Device NanoT5Threads NanoT5RunDirectory NanoT5TrainSources NanoT5ValidationSources NanoT5DataWorkers " +
        "NanoT5MaxBadDataFraction NanoT5HttpRetries NanoT5FinetuneData NanoT5StrictData NanoT5EvalEvery NanoT5EvalSteps NanoT5EvalAtStart " +
        "NanoT5LogEvery NanoT5LogGradL2 NanoT5LogWeightsL2 NanoT5CheckpointEvery NanoT5KeepLast NanoT5Resume NanoT5Tracker NanoT5TrackerUrl " +
        "NanoT5TrackerExperiment NanoT5TrackerTokenVariable NanoT5TrackerTags NanoT5TrackerDrainSeconds NanoT5TrackerSendInterval " +
        "NanoT5TrackerRequestTimeout NanoT5ExportDirectory NanoT5ExportFrom NanoT5ExportWeights";

    private const string Grows = "NanoT5TotalSteps NanoT5Epochs";

    private const string Refused =
        "NanoT5Mode NanoT5Seed NanoT5Precision NanoT5LibTorch NanoT5ModelPreset NanoT5ModelConfig NanoT5InitFrom NanoT5Dropout " +
        "NanoT5Attention NanoT5Tokenizer NanoT5TokenizerPath NanoT5InputLength NanoT5NoiseDensity NanoT5MeanNoiseSpanLength " +
        "NanoT5ShuffleBuffer NanoT5DocumentsPerChunk NanoT5EosAfterDocument NanoT5TextSampleBy NanoT5FinetuneSplit " +
        "NanoT5MaxInstancesPerTask NanoT5MaxSourceLength NanoT5MaxTargetLength NanoT5AddTaskName NanoT5AddTaskDefinition " +
        "NanoT5PositiveExamples NanoT5NegativeExamples NanoT5AddExplanation NanoT5MatchHfTokenizer NanoT5Optimizer NanoT5LearningRate " +
        "NanoT5BatchSize NanoT5GradAcc NanoT5WarmupSteps NanoT5Schedule NanoT5FinalCosine NanoT5WeightDecay NanoT5GradClip NanoT5MaxSkippedSteps";

    private static ExperimentConfig Saved => RunIdentityTests.Saved;

    [Fact]
    public void Each_of_todays_settings_is_refused_accepted_or_may_grow_on_resume_as_before()
    {
        var expected = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach ((string names, string behaviour) in new[] { (Accepted, "accepted"), (Grows, "may grow"), (Refused, "refused") })
        {
            foreach (string name in names.Split(' '))
            {
                expected.Add(name, behaviour);
            }
        }

        var actual = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string name in expected.Keys)
        {
            Setting setting = SettingTable.Find(name) ?? throw new InvalidOperationException($"{name} is no setting any more: update the pin");
            actual.Add(name, Behaviour(setting));
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Every_setting_of_the_config_is_treated_on_resume_as_its_table_entry_says()
    {
        foreach (Setting setting in SettingTable.All.Where(s => s.ConfigPath is not null))
        {
            string expected = setting.OnResume switch
            {
                ResumePolicy.MayChange => "accepted",
                ResumePolicy.MayGrow => "may grow",
                _ => "refused",
            };

            Assert.True(expected == Behaviour(setting), $"{setting}: {Behaviour(setting)}, its table entry says {expected}");
        }
    }

    // What a resume does when the setting's JSON leaf has another value: refused names the leaf; "may grow" accepts a
    // larger value and refuses a smaller one.
    private static string Behaviour(Setting setting)
    {
        string key = ConfigSettingValues.Key(setting);
        IReadOnlyList<SettingChange> up = RunIdentity.Compare(Saved, With(setting, key, grow: true));
        if (up.Count > 0)
        {
            return up.Select(c => c.Path).SequenceEqual([key]) ? "refused" : $"refused as {string.Join(", ", up.Select(c => c.Path))}";
        }

        if (setting.Kind is not (SettingKind.Integer or SettingKind.Number))
        {
            return "accepted";
        }

        IReadOnlyList<SettingChange> down = RunIdentity.Compare(Saved, With(setting, key, grow: false));
        return down.Count == 0 ? "accepted" : down.Select(c => c.Path).SequenceEqual([key]) ? "may grow" : "shrinks as " + down[0].Path;
    }

    // Saved with another value at the setting's JSON path: a number one more (or less), the other boolean, another choice, a text.
    private static ExperimentConfig With(Setting setting, string key, bool grow)
    {
        JsonObject root = JsonNode.Parse(ExperimentConfigJson.Serialize(Saved))!.AsObject();
        string[] path = key.Split('.');
        JsonObject parent = path[..^1].Aggregate(root, (node, name) => node[name]!.AsObject());
        JsonNode? value = parent[path[^1]];
        parent[path[^1]] = setting.Kind switch
        {
            SettingKind.Integer => value!.GetValue<int>() + (grow ? 1 : -1),
            SettingKind.Number => value!.GetValue<double>() + (grow ? 1 : -1),
            SettingKind.Boolean => !value!.GetValue<bool>(),
            SettingKind.OneOf => setting.Choices.First(c => c.Value != value!.GetValue<string>()).Value,
            SettingKind.Sources => new JsonArray("other.jsonl"),
            SettingKind.Tags => new JsonObject { ["team"] = "other" },
            _ => (value?.GetValue<string>() ?? string.Empty) + "other",
        };

        return ExperimentConfigJson.Deserialize(root.ToJsonString(), "test");
    }
}
