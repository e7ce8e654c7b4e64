using NanoT5.Config;
using NanoT5.Data.Pipeline;

namespace NanoT5.Tests.Data;

public sealed class DataConfigValidationTests
{
    [Fact]
    public void Problems_InputLengthWhoseMasksCannotComeOutExact_NamesTheSetting()
    {
        var config = new ExperimentConfig
        {
            Tokenizer = new TokenizerSettings { Kind = TokenizerKind.Gpt2 },
            Data = new DataSettings { TrainSources = ["builtin:dotnet-docs"], InputLength = 8 },
        };

        ConfigProblem problem = Assert.Single(ExperimentConfigValidation.Problems(config));

        Assert.Equal("data.input_length", problem.Setting);
        Assert.Contains("T5's arithmetic gives 9 input and", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_DefaultDataSettings_AreFine()
    {
        var config = new ExperimentConfig
        {
            Tokenizer = new TokenizerSettings { Kind = TokenizerKind.Gpt2 },
            Data = new DataSettings { TrainSources = ["builtin:dotnet-docs"] },
        };

        Assert.Empty(ExperimentConfigValidation.Problems(config));
    }

    [Fact]
    public void Defaults_ReadTextLikeNanoT5_OneDocumentPerLineWithEosAfterEach()
    {
        var data = new DataSettings();
        PipelineOptions options = PipelineOptions.ForTraining(new ExperimentConfig { Data = new DataSettings { TrainSources = ["builtin:dotnet-docs"] } });

        Assert.Equal((true, TextSampleBy.Line), (data.EosAfterDocument, data.TextSampleBy));
        Assert.Equal((true, TextSampleBy.Line), (options.Data.EosAfterDocument, options.Data.TextSampleBy));
    }

    [Fact]
    public void TextSampleBy_RoundTripsThroughTheJsonConfigByHfsNames()
    {
        var config = new ExperimentConfig { Data = new DataSettings { TextSampleBy = TextSampleBy.Paragraph } };

        string json = ExperimentConfigJson.Serialize(config);

        Assert.Contains("\"text_sample_by\": \"paragraph\"", json, StringComparison.Ordinal);
        Assert.Equal(TextSampleBy.Document, ExperimentConfigJson.Deserialize(json.Replace("\"paragraph\"", "\"document\"", StringComparison.Ordinal), "test.json").Data.TextSampleBy);
        var e = Assert.Throws<InvalidDataException>(() => ExperimentConfigJson.Deserialize(json.Replace("\"paragraph\"", "\"lines\"", StringComparison.Ordinal), "test.json"));
        Assert.Contains("test.json at $.data.text_sample_by", e.Message, StringComparison.Ordinal);
    }
}
