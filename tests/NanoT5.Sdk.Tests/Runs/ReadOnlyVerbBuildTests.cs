// -t:Evaluate and -t:Predict read a run and never change it: the run's config.resolved.json, summary.json and metrics.jsonl stay
// as training left them, the evaluation is kept in a record of its own, and -t:Pretrain then extends the run.
using System.Text.Json;
using NanoT5.Sdk.Tests.Infrastructure;

namespace NanoT5.Sdk.Tests.Runs;

[Trait("Category", "Slow")]
public sealed class ReadOnlyVerbBuildTests
{
    [Fact]
    public void Evaluate_keeps_its_result_in_its_own_record_leaves_the_run_untouched_and_a_later_Pretrain_extends_the_run()
    {
        using var folder = ExperimentFolder.InRepo(TinyPretraining.Project);
        string run = Path.Combine(folder.Path, "runs", "exp");
        Dotnet.Build(folder.ProjectFile, "Pretrain").ShouldSucceed();
        Dictionary<string, string> identity = IdentityFiles(run);

        BuildResult evaluated = Dotnet.Build(folder.ProjectFile, "Evaluate", "-p:NanoT5EvalSteps=2").ShouldSucceed();

        Assert.Equal(identity, IdentityFiles(run));
        string record = Assert.Single(Directory.GetDirectories(Path.Combine(run, "evaluations")));
        Assert.Contains($"recorded in: {record} (the run itself is unchanged)", evaluated.Output, StringComparison.Ordinal);
        string printed = evaluated.Output.Split("(step 3): loss ")[1].Split(' ')[0];
        JsonElement loss = File.ReadAllLines(Path.Combine(record, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Single(e => e.GetProperty("name").GetString() == "eval/loss");
        Assert.Equal(double.Parse(printed, System.Globalization.CultureInfo.InvariantCulture), loss.GetProperty("value").GetDouble(), 4);
        Assert.Equal(3, loss.GetProperty("step").GetInt64());

        BuildResult extended = Dotnet.Build(folder.ProjectFile, "Pretrain", "-p:NanoT5TotalSteps=4").ShouldSucceed();

        Assert.Contains("resuming from step 3", extended.Output, StringComparison.Ordinal);
        Assert.Contains("\"last_step\": 4", File.ReadAllText(Path.Combine(run, "summary.json")), StringComparison.Ordinal);
        Assert.True(Directory.Exists(record), "the evaluation record is kept when the run goes on");
    }

    [Fact]
    public void Predict_with_NanoT5PredictInput_answers_each_line_of_the_file_in_the_build_output_and_its_own_record()
    {
        using var folder = ExperimentFolder.InRepo(TinyPretraining.Project);
        string run = Path.Combine(folder.Path, "runs", "exp");
        Dotnet.Build(folder.ProjectFile, "Pretrain").ShouldSucceed();
        Dictionary<string, string> identity = IdentityFiles(run);
        File.WriteAllLines(Path.Combine(folder.Path, "inputs.txt"), ["The weather <extra_id_0> fine.", "A question without sentinels"]);

        BuildResult predicted = Dotnet.Build(folder.ProjectFile, "Predict", "-p:NanoT5PredictInput=inputs.txt").ShouldSucceed();

        Assert.Equal(identity, IdentityFiles(run));
        Assert.Contains($"2 inputs from {Path.Combine(folder.Path, "inputs.txt")} (1 with sentinels: span filling)", predicted.Output, StringComparison.Ordinal);
        string record = Assert.Single(Directory.GetDirectories(Path.Combine(run, "predictions")));
        string[] answers = File.ReadAllLines(Path.Combine(record, "predictions.jsonl"));
        Assert.Equal(2, answers.Length);
        using JsonDocument first = JsonDocument.Parse(answers[0]);
        Assert.Equal(["input", "prediction", "filled"], first.RootElement.EnumerateObject().Select(p => p.Name));
    }

    private static Dictionary<string, string> IdentityFiles(string run) =>
        new[] { "config.resolved.json", "summary.json", "metrics.jsonl" }.ToDictionary(f => f, f => File.ReadAllText(Path.Combine(run, f)));
}
