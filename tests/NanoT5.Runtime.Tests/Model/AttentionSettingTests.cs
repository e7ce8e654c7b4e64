using NanoT5.Checkpoints;
using NanoT5.Config;
using NanoT5.Data;
using NanoT5.Data.Tokenizers;
using NanoT5.Model;
using NanoT5.Runs;

namespace NanoT5.Tests.Model;

/// <summary>model.attention from the JSON config to the model, and never into a checkpoint's config.json.</summary>
public sealed class AttentionSettingTests
{
    [Fact]
    public void Attention_RoundTripsThroughTheJsonConfigAndRejectsUnknownKernelsNamingThePath()
    {
        var config = new ExperimentConfig { Model = new ModelSettings { Attention = AttentionKind.Sdpa } };

        string json = ExperimentConfigJson.Serialize(config);

        Assert.Contains("\"attention\": \"sdpa\"", json, StringComparison.Ordinal);
        Assert.Equal(AttentionKind.Sdpa, ExperimentConfigJson.Deserialize(json, "test.json").Model.Attention);
        Assert.Equal(AttentionKind.Eager, new ExperimentConfig().Model.Attention);
        var e = Assert.Throws<InvalidDataException>(() => ExperimentConfigJson.Deserialize(json.Replace("\"sdpa\"", "\"flash\"", StringComparison.Ordinal), "test.json"));
        Assert.Contains("test.json at $.model.attention", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_OfAnUndefinedAttentionKind_NameTheSetting()
    {
        var config = new ExperimentConfig
        {
            Tokenizer = new TokenizerSettings { Kind = TokenizerKind.Gpt2 },
            Data = new DataSettings { TrainSources = ["builtin:dotnet-docs"] },
            Model = new ModelSettings { Attention = (AttentionKind)7 },
        };

        ConfigProblem problem = Assert.Single(ExperimentConfigValidation.Problems(config));

        Assert.Equal("model.attention (NanoT5Attention): must be one of: eager, sdpa (got 7)", problem.ToString());
    }

    [Fact]
    public void Architecture_CarriesTheSettingToTheModelButConfigJsonDoesNotKeepIt()
    {
        var config = new ExperimentConfig { Model = new ModelSettings { Preset = "mini", Attention = AttentionKind.Sdpa }, Tokenizer = new TokenizerSettings { Kind = TokenizerKind.Gpt2 } };
        ITextTokenizer tokenizer = TextTokenizerFactory.Create(config.Tokenizer);
        using var folder = TestPaths.NewTempFolder();

        T5Config architecture = ModelFactory.Architecture(config, tokenizer);
        HfConfigFile.Save(architecture, folder.File("config.json"));

        Assert.Equal(AttentionKind.Sdpa, architecture.Attention);
        Assert.DoesNotContain("attention\"", File.ReadAllText(folder.File("config.json")).Replace("relative_attention", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(AttentionKind.Eager, HfConfigFile.Load(folder.File("config.json")).Attention);
    }
}
