// -p: overrides that shape the model name the run; the ones a run may change on resume do not, and the SDK's list of
// those is the runtime's (RunIdentity), so a renamed run is never refused and a refused change always renames.
extern alias runtime;

using System.Text.Json;
using NanoT5.Sdk.Settings;
using RuntimeIdentity = runtime::NanoT5.Runs.RunIdentity;

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
    public void The_settings_that_do_not_name_a_run_are_exactly_those_the_runtime_lets_a_resume_change()
    {
        static string Json(string configPath) => string.Join(".", configPath.TrimEnd('.').Split('.').Select(JsonNamingPolicy.SnakeCaseLower.ConvertName));

        Assert.Equal(
            RuntimeIdentity.MayChangeOnResume.Concat(RuntimeIdentity.MayGrowOnResume).Order(StringComparer.Ordinal),
            RunNaming.MayChangeOnResume.Select(Json).Order(StringComparer.Ordinal));
    }
}
