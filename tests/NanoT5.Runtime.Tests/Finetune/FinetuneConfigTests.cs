using NanoT5.Config;

namespace NanoT5.Tests.Finetune;

public sealed class FinetuneConfigTests
{
    [Theory]
    [InlineData(RunMode.Finetune, null, true)]
    [InlineData(RunMode.Predict, null, true)]
    [InlineData(RunMode.Evaluate, "builtin:demo", true)]
    [InlineData(RunMode.Evaluate, null, false)]
    [InlineData(RunMode.Pretrain, "builtin:demo", false)]
    public void UsesFinetuneData_FollowsTheModeAndForEvaluateTheDataDirectory(RunMode mode, string? dataDirectory, bool expected) =>
        Assert.Equal(expected, new ExperimentConfig { Mode = mode, Finetune = new FinetuneSettings { DataDirectory = dataDirectory } }.UsesFinetuneData());

    [Fact]
    public void Problems_EvaluateWithFinetuneData_ChecksTheFinetuneSettingsNotSpanCorruption()
    {
        var config = new ExperimentConfig
        {
            Mode = RunMode.Evaluate,
            Tokenizer = new TokenizerSettings { Kind = TokenizerKind.Gpt2 },
            Finetune = new FinetuneSettings { DataDirectory = "builtin:demo", MaxSourceLength = 0 },
            Data = new DataSettings { InputLength = 9 },
        };

        Assert.Equal(["finetune.max_source_length (NanoT5MaxSourceLength): must be an integer >= 1 (got 0)"], ExperimentConfigValidation.Problems(config).Select(p => p.ToString()));
    }
}
