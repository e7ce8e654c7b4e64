// The runtime checks a loaded config with the SDK's own rules (SettingTable's bounds, SettingRules across
// settings), naming config paths where the SDK names properties.
using NanoT5.Config;

namespace NanoT5.Tests.Config;

public sealed class SharedValidationTests
{
    private static readonly ExperimentConfig Valid = new()
    {
        Tokenizer = new TokenizerSettings { Kind = TokenizerKind.Gpt2 },
        Data = new DataSettings { TrainSources = ["builtin:dotnet-docs"] },
    };

    [Fact]
    public void Problems_ABoundOfTheTable_NamesTheConfigPathAndTheRange()
    {
        ExperimentConfig config = Valid with { Data = Valid.Data with { NoiseDensity = 1 } };

        Assert.Equal(["data.noise_density (NanoT5NoiseDensity): must be a number in (0, 1) (got 1)"], ExperimentConfigValidation.Problems(config).Select(p => p.ToString()));
    }

    [Fact]
    public void Problems_ARuleAcrossSettings_IsTheSdksMessageInConfigPaths()
    {
        ExperimentConfig config = Valid with { Optim = Valid.Optim with { BatchSize = 130, GradAcc = 4 } };

        ConfigProblem problem = Assert.Single(ExperimentConfigValidation.Problems(config));

        Assert.Equal("optim.batch_size", problem.Setting);
        Assert.Equal(
            "optim.batch_size (130) must be divisible by optim.grad_acc (4): each optimizer step splits the batch into equal micro-batches (e.g. optim.batch_size 128 or 132). (.t5proj: NanoT5BatchSize)",
            problem.ToString());
    }

    [Fact]
    public void Problems_Warnings_DoNotStopARun()
    {
        ExperimentConfig config = Valid with { Tokenizer = Valid.Tokenizer with { Path = "ignored.model" }, Optim = Valid.Optim with { Schedule = ScheduleKind.Legacy } };

        Assert.Empty(ExperimentConfigValidation.Problems(config));
    }

    [Fact]
    public void Problems_Bf16OnCpuAndAnUnknownPreset_AreBothReported()
    {
        ExperimentConfig config = Valid with { Precision = Precision.Bf16, Model = Valid.Model with { Preset = "t5-huge" } };

        Assert.Equal(
            [
                "model.preset (NanoT5ModelPreset): must be one of: t5-v1_1-small, t5-v1_1-base, t5-v1_1-large, t5-v1_1-xl, t5-v1_1-xxl, tiny, mini (got 't5-huge')",
                "precision bf16 needs a CUDA device (device is 'cpu'): use fp32 on cpu, or device cuda. (.t5proj: NanoT5Precision)",
            ],
            ExperimentConfigValidation.Problems(config).Select(p => p.ToString()));
    }
}
