// Real `dotnet build -t:ShowConfig` runs: the experiment compiles to a program that hands its generated config to
// the runtime, which prints it back. What the runtime reads is what the properties said.
using System.Text.Json;
using NanoT5.Sdk.Tests.Infrastructure;

namespace NanoT5.Sdk.Tests.Builds;

[Trait("Category", "Slow")]
public sealed class LaunchBuildTests
{
    private const string Secret = "tok-3f9c2e-never-shown";

    [Fact]
    public void The_runtime_reads_the_properties_p_overrides_win_and_an_unchanged_build_does_no_work()
    {
        using var folder = ExperimentFolder.InRepo("""
            <Project Sdk="NanoT5.Sdk">
              <PropertyGroup>
                <NanoT5ModelPreset>mini</NanoT5ModelPreset>
                <NanoT5Tokenizer>gpt2</NanoT5Tokenizer>
                <NanoT5TrainSources>builtin:dotnet-docs;data/*.jsonl</NanoT5TrainSources>
                <NanoT5ValidationSources>builtin:dotnet-docs</NanoT5ValidationSources>
                <NanoT5InputLength>128</NanoT5InputLength>
                <NanoT5Optimizer>adafactor</NanoT5Optimizer>
                <NanoT5Schedule>constant</NanoT5Schedule>
                <NanoT5LearningRate>1e-3</NanoT5LearningRate>
                <NanoT5BatchSize>16</NanoT5BatchSize>
                <NanoT5GradAcc>2</NanoT5GradAcc>
                <NanoT5Precision>tf32</NanoT5Precision>
                <NanoT5Seed>7</NanoT5Seed>
                <NanoT5Resume>false</NanoT5Resume>
                <NanoT5RunDirectory>out/run</NanoT5RunDirectory>
                <NanoT5Tracker>mlflow</NanoT5Tracker>
                <NanoT5TrackerUrl>http://127.0.0.1:5000</NanoT5TrackerUrl>
                <NanoT5TrackerTags>team=nlp;size=mini</NanoT5TrackerTags>
              </PropertyGroup>
            </Project>
            """);
        var secretInEnvironment = new Dictionary<string, string?> { ["MLFLOW_TRACKING_TOKEN"] = Secret };

        BuildResult first = Dotnet.Build(secretInEnvironment, folder.ProjectFile, "ShowConfig").ShouldSucceed();
        JsonElement config = ConfigJson.From(first);
        Assert.Equal("exp", config.Text("name"));
        Assert.Equal("pretrain", config.Text("mode"));
        Assert.Equal(7, config.Number("seed"));
        Assert.Equal("tf32", config.Text("precision"));
        Assert.Equal(Path.Combine(folder.Path, "out", "run"), config.Text("run_directory"));
        Assert.Equal("mini", config.Text("model.preset"));
        Assert.Equal("gpt2", config.Text("tokenizer.kind"));
        Assert.Equal(["builtin:dotnet-docs", Path.Combine(folder.Path, "data", "*.jsonl")], ConfigJson.At(config, "data.train_sources").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(128, config.Number("data.input_length"));
        Assert.Equal(0.15, config.Number("data.noise_density"));
        Assert.Equal("adafactor", config.Text("optim.name"));
        Assert.Equal("constant", config.Text("optim.schedule"));
        Assert.Equal(1e-3, config.Number("optim.base_lr"));
        Assert.Equal((16, 2), ((int)config.Number("optim.batch_size"), (int)config.Number("optim.grad_acc")));
        Assert.Equal(65_536, config.Number("optim.total_steps"));
        Assert.False(ConfigJson.At(config, "checkpoint.resume").GetBoolean());
        Assert.Equal("mlflow", config.Text("tracker.kind"));
        Assert.Equal("http://127.0.0.1:5000", config.Text("tracker.url"));
        Assert.Equal("MLFLOW_TRACKING_TOKEN", config.Text("tracker.token_variable"));
        Assert.Equal(["team=nlp", "size=mini"], ConfigJson.At(config, "tracker.tags").EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}"));
        Assert.Contains($"NanoT5: show-config exp; run folder: {Path.Combine(folder.Path, "out", "run")}", first.Output, StringComparison.Ordinal);

        BuildResult second = Dotnet.Build(secretInEnvironment, folder.ProjectFile, "ShowConfig", "-v:n").ShouldSucceed();
        Assert.Contains("Skipping target \"_NanoT5ValidateAndGenerate\" because all output files are up-to-date", second.Output, StringComparison.Ordinal);
        Assert.Contains("Skipping target \"CoreCompile\" because all output files are up-to-date", second.Output, StringComparison.Ordinal);

        BuildResult third = Dotnet.Build(secretInEnvironment, folder.ProjectFile, "ShowConfig", "-p:NanoT5LearningRate=5e-3", "-p:NanoT5Seed=8").ShouldSucceed();
        JsonElement overridden = ConfigJson.From(third);
        Assert.Equal((5e-3, 8.0), (overridden.Number("optim.base_lr"), overridden.Number("seed")));
        Assert.Equal(16, overridden.Number("optim.batch_size"));

        foreach (BuildResult result in new[] { first, second, third })
        {
            Assert.DoesNotContain(Secret, result.Output, StringComparison.Ordinal);
        }

        Assert.All(Directory.EnumerateFiles(folder.Path, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".dll", StringComparison.Ordinal) && !f.EndsWith(".so", StringComparison.Ordinal)), f =>
            Assert.DoesNotContain(Secret, File.ReadAllText(f), StringComparison.Ordinal));
    }

    [Fact]
    public void Added_CSharp_files_compile_into_the_experiment_and_may_replace_Main()
    {
        using var folder = ExperimentFolder.InRepo("""
            <Project Sdk="NanoT5.Sdk">
              <PropertyGroup>
                <NanoT5Tokenizer>gpt2</NanoT5Tokenizer>
                <NanoT5TrainSources>builtin:dotnet-docs</NanoT5TrainSources>
                <NanoT5Seed>5</NanoT5Seed>
                <NanoT5GenerateProgram>false</NanoT5GenerateProgram>
              </PropertyGroup>
            </Project>
            """);
        folder.Write("ShortDocuments.cs", """
            // A custom data filter, as a user would add one.
            namespace Exp;

            internal static class ShortDocuments
            {
                public static bool Keep(string text) => text.Length < 10_000;
            }
            """);
        folder.Write("Program.cs", """
            // The user's own Main: adjusts the generated config before handing it to the runtime.
            Console.WriteLine($"custom main: generated seed {Exp.Experiment.Config.Seed}, keeps short text: {Exp.ShortDocuments.Keep("x")}");
            return NanoT5.Cli.CommandLine.Run(args, Exp.Experiment.Config with { Seed = 99 });
            """);
        File.Move(folder.ProjectFile, Path.Combine(folder.Path, "Exp.t5proj"));
        string project = Path.Combine(folder.Path, "Exp.t5proj");

        BuildResult result = Dotnet.Build(project, "ShowConfig").ShouldSucceed();

        Assert.Contains("custom main: generated seed 5, keeps short text: True", result.Output, StringComparison.Ordinal);
        Assert.Equal(99, ConfigJson.From(result).Number("seed"));

        BuildResult failed = Dotnet.Build(project, "ShowConfig", "-p:NanoT5RunArguments=--config missing.json").ShouldFail();
        LoggedDiagnostic d = failed.Single("NT4001");
        Assert.Equal(project, d.File);
        Assert.StartsWith("show-config of Exp exited with code 2 (its output above says why); run folder: ", d.Message, StringComparison.Ordinal);
        Assert.Contains("missing.json", failed.Output, StringComparison.Ordinal);
    }
}
