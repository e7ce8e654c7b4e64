// Runs keep their identity through the SDK: a -p: sweep writes separate run folders, a changed setting on the same
// run is refused with the short message, and weights to start from are checked when a run is launched.
using NanoT5.Sdk.Tests.Infrastructure;

namespace NanoT5.Sdk.Tests.Runs;

[Trait("Category", "Slow")]
public sealed class RunIdentityBuildTests
{
    [Fact]
    public void A_p_sweep_writes_separate_run_folders_and_a_changed_setting_on_the_same_run_is_refused_in_one_short_line()
    {
        using var folder = ExperimentFolder.InRepo(TinyPretraining.Project);
        Dotnet.Build(folder.ProjectFile, "Pretrain").ShouldSucceed();

        BuildResult swept = Dotnet.Build(folder.ProjectFile, "Pretrain", "-p:NanoT5LearningRate=1e-2").ShouldSucceed();

        string sweptFolder = Path.Combine(folder.Path, "runs", "exp-learning-rate-1e-2");
        Assert.Contains("NanoT5: -p: overrides name this run exp-learning-rate-1e-2", swept.Output, StringComparison.Ordinal);
        Assert.Contains($"run folder: {sweptFolder}", swept.Output, StringComparison.Ordinal);
        Assert.Equal(["exp", "exp-learning-rate-1e-2"], Directory.GetDirectories(Path.Combine(folder.Path, "runs")).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        BuildResult refused = Dotnet.Build(folder.ProjectFile, "Pretrain", "-p:NanoT5LearningRate=5e-3", "-p:NanoT5NameFromOverrides=false").ShouldFail();

        string line = Assert.Single(refused.Output.Split('\n'), l => l.Contains("trained with other settings", StringComparison.Ordinal));
        Assert.Contains("optim.base_lr 0.02 -> 0.005", line, StringComparison.Ordinal);
        Assert.Contains("NanoT5Name", line, StringComparison.Ordinal);
        Assert.Contains("NanoT5Resume=false", line, StringComparison.Ordinal);
        Assert.True(line.Length < 1000, line);
        Assert.Contains("exited with code 2", refused.Single("NT4001").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sweep_ends_with_figures_that_overlay_its_runs()
    {
        using var folder = ExperimentFolder.InRepo(TinyPretraining.Project.Replace("</Project>", """
              <ItemGroup>
                <NanoT5SweepRun Include="lr-1e-2" NanoT5LearningRate="1e-2" />
                <NanoT5SweepRun Include="lr-3e-2" NanoT5LearningRate="3e-2" />
              </ItemGroup>
            </Project>
            """, StringComparison.Ordinal));

        BuildResult result = Dotnet.Build(folder.ProjectFile, "Sweep").ShouldSucceed();

        string figures = Path.Combine(folder.Path, "runs", "exp-sweep-plots");
        Assert.Contains($"{Path.Combine(figures, "compare_train_loss.png")}: train/loss, exp-lr-1e-2 (3 points), exp-lr-3e-2 (3 points)", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(figures, "compare_eval_loss.png")), result.ToString());
    }

    [Fact]
    public void Launching_a_fine_tuning_whose_pretrained_model_is_missing_names_the_experiment_to_run_first()
    {
        using var folder = ExperimentFolder.InRepo("""
            <Project Sdk="NanoT5.Sdk">
              <PropertyGroup>
                <NanoT5Mode>finetune</NanoT5Mode>
                <NanoT5FinetuneData>builtin:demo</NanoT5FinetuneData>
                <NanoT5Tokenizer>gpt2</NanoT5Tokenizer>
                <NanoT5InitFrom>pretrain/runs/pretrain</NanoT5InitFrom>
              </PropertyGroup>
            </Project>
            """, "ft");
        string pretrain = Path.Combine(folder.Path, "pretrain");
        folder.Write("pretrain/pretrain.t5proj", """<Project Sdk="NanoT5.Sdk" />""");

        BuildResult result = Dotnet.MSBuild(folder.ProjectFile, "Finetune").ShouldFail();

        LoggedDiagnostic d = result.Single("NT4006");
        Assert.Equal((folder.ProjectFile, folder.LineOf("<NanoT5InitFrom>")), (d.File, d.Line));
        Assert.Contains($"run `dotnet build {pretrain} -t:Pretrain` first", d.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("finetune ft", result.Output, StringComparison.Ordinal);
        Assert.Equal("NT1009", Dotnet.MSBuild(folder.ProjectFile, "Validate").ShouldSucceed().Diagnostics.Single().Code);
    }
}
