using System.Text.Json.Nodes;
using NanoT5.Checkpoints;
using NanoT5.Model;

namespace NanoT5.Tests.Checkpoints;

public sealed class HfConfigFileTests
{
    [Fact]
    public void Load_OfTheReferenceFixtureConfig_ReadsEveryField()
    {
        T5Config config = HfConfigFile.Load(Path.Combine(TestPaths.ParityFixture, "config.json"));

        Assert.Equal(new T5Config
        {
            VocabSize = 128, DModel = 64, DKv = 16, DFf = 96, NumLayers = 2, NumDecoderLayers = 2, NumHeads = 4,
            RelativeAttentionNumBuckets = 32, RelativeAttentionMaxDistance = 128, DropoutRate = 0.0, LayerNormEpsilon = 1e-6,
            FeedForwardProj = "gated-gelu", TieWordEmbeddings = false, PadTokenId = 0, EosTokenId = 1, DecoderStartTokenId = 0,
        }, config);
    }

    [Fact]
    public void Save_ThenLoad_RoundTripsAndWritesTheFieldsFromPretrainedReads()
    {
        using var folder = TestPaths.NewTempFolder();
        T5Config config = T5Presets.Get("t5-v1_1-base") with { DropoutRate = 0.1 };

        HfConfigFile.Save(config, folder.File("config.json"));
        var json = JsonNode.Parse(File.ReadAllText(folder.File("config.json")))!;

        Assert.Equal(config, HfConfigFile.Load(folder.File("config.json")));
        Assert.Equal("t5", json["model_type"]!.GetValue<string>());
        Assert.Equal("T5ForConditionalGeneration", json["architectures"]![0]!.GetValue<string>());
        Assert.Equal("gelu_new", json["dense_act_fn"]!.GetValue<string>());
        Assert.True(json["is_gated_act"]!.GetValue<bool>());
        Assert.False(json["tie_word_embeddings"]!.GetValue<bool>());
    }

    [Fact]
    public void Load_OfAnOriginalT5Config_RejectsReluAndTiedEmbeddingsNamingTheFields()
    {
        using var folder = TestPaths.NewTempFolder();
        File.WriteAllText(folder.File("config.json"), """{"model_type": "t5", "d_model": 512, "num_layers": 6}""");

        var error = Assert.Throws<InvalidDataException>(() => HfConfigFile.Load(folder.File("config.json")));

        Assert.Contains(folder.File("config.json"), error.Message, StringComparison.Ordinal);
        Assert.Contains("feed_forward_proj", error.Message, StringComparison.Ordinal);
        Assert.Contains("tie_word_embeddings", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"d_model\": \"768\"", "field 'd_model' must be an integer")]
    [InlineData("\"dropout_rate\": true", "field 'dropout_rate' must be a number")]
    [InlineData("\"num_heads\": -3", "num_heads: must be a positive integer")]
    [InlineData("\"model_type\": \"bart\"", "only T5")]
    [InlineData("\"eos_token_id\": 99999", "eos_token_id: must be a token id")]
    public void Load_OfAWrongField_NamesTheFileAndTheField(string field, string expected)
    {
        using var folder = TestPaths.NewTempFolder();
        File.WriteAllText(folder.File("config.json"), $$"""{"feed_forward_proj": "gated-gelu", "tie_word_embeddings": false, {{field}}}""");

        var error = Assert.Throws<InvalidDataException>(() => HfConfigFile.Load(folder.File("config.json")));

        Assert.Contains(folder.File("config.json"), error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OfInvalidJson_SaysSo()
    {
        using var folder = TestPaths.NewTempFolder();
        File.WriteAllText(folder.File("config.json"), "{ not json");

        var error = Assert.Throws<InvalidDataException>(() => HfConfigFile.Load(folder.File("config.json")));

        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }
}
