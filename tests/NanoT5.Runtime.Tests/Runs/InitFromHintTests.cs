using NanoT5.Runs;

namespace NanoT5.Tests.Runs;

public sealed class InitFromHintTests
{
    [Fact]
    public void A_missing_model_in_another_experiments_run_folder_names_that_experiment_and_its_command()
    {
        using var temp = TestPaths.NewTempFolder();
        string experiment = temp.File("experiments/default");
        Directory.CreateDirectory(experiment);
        File.WriteAllText(Path.Combine(experiment, "default.t5proj"), "<Project Sdk=\"NanoT5.Sdk\" />");

        string hint = InitFromHint.For(Path.Combine(experiment, "runs", "default", "model"));

        Assert.Equal(
            $" It is the run 'default' of experiment {experiment} (default.t5proj), which has not finished yet: run `dotnet build {experiment} -t:Pretrain` first.",
            hint);
    }

    [Fact]
    public void A_missing_path_elsewhere_gets_the_general_advice()
    {
        Assert.StartsWith(" Train or download those weights first", InitFromHint.For("/nowhere/weights.safetensors"), StringComparison.Ordinal);
    }
}
