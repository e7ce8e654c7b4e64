using NanoT5.Config;

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
        Assert.Contains("T5's arithmetic gives 9 input tokens", problem.Message, StringComparison.Ordinal);
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
}
