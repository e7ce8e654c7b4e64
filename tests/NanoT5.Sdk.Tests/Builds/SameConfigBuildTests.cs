// The SDK and the runtime's command line give a run the same config for the same inputs: a .t5proj built with
// -t:ShowConfig (real dotnet build, the generated Experiment.Config printed by the experiment program) against
// show-config's resolution of a JSON file naming the same settings (ExperimentConfigOption.Resolve, what
// `show-config --config` prints). Both fill in what is left out from the runtime's one settings table.
extern alias runtime;

using System.Text.Json;
using NanoT5.Sdk.Tests.Infrastructure;
using RuntimeCli = runtime::NanoT5.Cli;
using RuntimeConfig = runtime::NanoT5.Config;

namespace NanoT5.Sdk.Tests.Builds;

[Trait("Category", "Slow")]
public sealed class SameConfigBuildTests
{
    [Theory]
    [InlineData("pretrain")]
    [InlineData("finetune")]
    [InlineData("evaluate")]
    [InlineData("predict")]
    public void The_SDK_and_show_config_resolve_the_same_config(string mode)
    {
        using var folder = ExperimentFolder.InRepo("""
            <Project Sdk="NanoT5.Sdk">
              <PropertyGroup>
                <NanoT5ModelPreset>mini</NanoT5ModelPreset>
                <NanoT5Tokenizer>gpt2</NanoT5Tokenizer>
                <NanoT5TrainSources>builtin:dotnet-docs</NanoT5TrainSources>
                <NanoT5FinetuneData>builtin:demo</NanoT5FinetuneData>
                <NanoT5InputLength>128</NanoT5InputLength>
                <NanoT5Seed>7</NanoT5Seed>
              </PropertyGroup>
            </Project>
            """);
        string file = folder.Write("cli.json", JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["name"] = "exp",
            ["mode"] = mode,
            ["seed"] = 7,
            ["run_directory"] = Path.Combine(folder.Path, "runs", "exp"),
            ["model"] = new { preset = "mini" },
            ["tokenizer"] = new { kind = "gpt2" },
            ["data"] = new { train_sources = new[] { "builtin:dotnet-docs" }, input_length = 128 },
            ["finetune"] = new { data_directory = "builtin:demo" },
        }));

        JsonElement sdk = ConfigJson.From(Dotnet.Build(folder.ProjectFile, "ShowConfig", $"-p:NanoT5Mode={mode}").ShouldSucceed());
        string cli = RuntimeConfig.ExperimentConfigJson.Serialize(RuntimeCli.ExperimentConfigOption.Resolve(new FileInfo(file), generated: null));

        Assert.Equal(mode, sdk.Text("mode"));
        Assert.Equal(JsonSerializer.Serialize(sdk), JsonSerializer.Serialize(JsonDocument.Parse(cli).RootElement));
    }
}
