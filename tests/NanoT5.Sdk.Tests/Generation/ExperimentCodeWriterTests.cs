// The generated config: only what the project sets, typed, grouped by settings record; paths made absolute.
using NanoT5.Sdk.Generation;
using NanoT5.Sdk.Settings;

namespace NanoT5.Sdk.Tests.Generation;

public sealed class ExperimentCodeWriterTests
{
    [Fact]
    public void Only_the_set_properties_are_written_grouped_by_their_settings_record()
    {
        var settings = ExperimentSettings.Read(
            new Dictionary<string, string>
            {
                ["NanoT5Name"] = "exp",
                ["NanoT5LearningRate"] = "2e-2",
                ["NanoT5BatchSize"] = "64",
                ["NanoT5Optimizer"] = "adafactor",
                ["NanoT5TrainSources"] = "builtin:dotnet-docs; data/*.jsonl ;https://host/c4.json.gz",
                ["NanoT5TrackerTags"] = "team=nlp;note=a \"quoted\" value",
                ["NanoT5LogGradL2"] = "false",
                ["NanoT5RunArguments"] = "--verbose",
            },
            modeOverride: null);

        string code = ExperimentCodeWriter.Config(settings, "exp", "/work/exp", "exp.t5proj");

        Assert.Equal(
            """
                public static global::NanoT5.Config.ExperimentConfig Config { get; } = new()
                {
                    Name = "exp",
                    Data = new()
                    {
                        TrainSources = new string[] { "builtin:dotnet-docs", "/work/exp/data/*.jsonl", "https://host/c4.json.gz" },
                    },
                    Optim = new()
                    {
                        Name = global::NanoT5.Config.OptimizerKind.Adafactor,
                        BaseLr = 0.02,
                        BatchSize = 64,
                    },
                    Logging = new()
                    {
                        GradL2 = false,
                    },
                    Tracker = new()
                    {
                        Tags = new global::System.Collections.Generic.Dictionary<string, string> { ["team"] = "nlp", ["note"] = "a \"quoted\" value" },
                    },
                };
            }

            """.Replace("\r", string.Empty, StringComparison.Ordinal),
            code[code.IndexOf("    public static", StringComparison.Ordinal)..]);
    }

    [Fact]
    public void Fine_tuning_gets_nanoT5s_task_ft_values_where_the_project_is_silent()
    {
        var settings = ExperimentSettings.Read(new Dictionary<string, string> { ["NanoT5BatchSize"] = "16" }, modeOverride: "finetune");

        string code = ExperimentCodeWriter.Config(settings, "exp", "/work/exp", "exp.t5proj");

        Assert.Contains("Mode = global::NanoT5.Config.RunMode.Finetune,", code, StringComparison.Ordinal);
        Assert.Contains("Name = global::NanoT5.Config.OptimizerKind.AdamW,", code, StringComparison.Ordinal);
        Assert.Contains("BaseLr = 5E-05,", code, StringComparison.Ordinal);
        Assert.Contains("BatchSize = 16,", code, StringComparison.Ordinal);
        Assert.Contains("Epochs = 2,", code, StringComparison.Ordinal);
        Assert.Contains("Schedule = global::NanoT5.Config.ScheduleKind.Constant,", code, StringComparison.Ordinal);
        Assert.Contains("GradClip = 0,", code, StringComparison.Ordinal);
        Assert.Contains("Steps = 200,", code, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_of_a_project_with_fine_tuning_data_gets_the_fine_tuning_batch()
    {
        var finetuning = ExperimentSettings.Read(new Dictionary<string, string> { ["NanoT5FinetuneData"] = "builtin:demo" }, modeOverride: "evaluate");
        var pretraining = ExperimentSettings.Read(new Dictionary<string, string> { ["NanoT5TrainSources"] = "builtin:dotnet-docs" }, modeOverride: "evaluate");

        Assert.Contains("BatchSize = 8,", ExperimentCodeWriter.Config(finetuning, "exp", "/work/exp", "exp.t5proj"), StringComparison.Ordinal);
        Assert.DoesNotContain("BatchSize = 8,", ExperimentCodeWriter.Config(pretraining, "exp", "/work/exp", "exp.t5proj"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("default", "@default")]
    [InlineData("c4-base", "c4_base")]
    [InlineData("1st.run", "_1st.run")]
    [InlineData("exp.try", "exp.@try")]
    [InlineData("My.Experiments", "My.Experiments")]
    public void The_namespace_is_a_valid_CSharp_name_for_any_project_name(string rootNamespace, string expected)
    {
        Assert.Equal(expected, ExperimentCodeWriter.Namespace(rootNamespace));
    }

    [Fact]
    public void The_program_runs_the_NanoT5_command_line_with_the_experiment()
    {
        Assert.Contains(
            "private static int Main(string[] args) => global::NanoT5.Cli.CommandLine.Run(args, Experiment.Config);",
            ExperimentCodeWriter.Program("exp"),
            StringComparison.Ordinal);
    }
}
