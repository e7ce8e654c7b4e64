// T5's span-length arithmetic, shared by the runtime and the SDK (src/NanoT5.Runtime/Config/SpanCorruptionLengths.cs).
extern alias runtime;

using runtime::NanoT5.Config;
using SpanCorruptionLengths = runtime::NanoT5.Config.SpanCorruptionLengths;

namespace NanoT5.Sdk.Tests.Validation;

public sealed class SpanCorruptionLengthsTests
{
    [Theory]
    [InlineData(512, 0.15, 3.0, 568, 114)]
    [InlineData(128, 0.15, 3.0, 141, 29)]
    [InlineData(1024, 0.15, 3.0, 1137, 229)]
    public void The_lengths_are_T5s_for_nanoT5s_settings(int input, double density, double span, int tokens, int targets)
    {
        var lengths = SpanCorruptionLengths.Compute(input, density, span);

        Assert.Equal((tokens, targets), (lengths.TokensLength, lengths.TargetLength));
        Assert.True(lengths.RowsHaveRequestedLengths);
        Assert.Equal((input, targets), (lengths.RowInputLength, lengths.RowTargetLength));
    }

    [Theory]
    [InlineData(9, 0.15, 3.0)]
    [InlineData(64, 0.15, 1.0)]
    [InlineData(11, 0.5, 3.0)]
    public void Lengths_whose_rows_come_out_too_long_are_flagged(int input, double density, double span)
    {
        Assert.False(SpanCorruptionLengths.Compute(input, density, span).RowsHaveRequestedLengths);
    }

    [Fact]
    public void More_spans_than_sentinels_are_flagged()
    {
        Assert.False(SpanCorruptionLengths.Compute(2048, 0.15, 3.0).FitsSentinels);
        Assert.True(SpanCorruptionLengths.Compute(1024, 0.15, 3.0).FitsSentinels);
    }

    [Theory]
    [InlineData(128, 4, 512, 0.15, 3.0)]
    [InlineData(130, 4, 512, 0.15, 3.0)]
    [InlineData(128, 1, 9, 0.15, 3.0)]
    [InlineData(128, 1, 2048, 0.15, 3.0)]
    [InlineData(128, 1, 512, 0.15, 1.0)]
    public void The_runtime_and_the_SDK_agree_on_batch_and_span_rules(int batch, int gradAcc, int input, double density, double span)
    {
        var config = new ExperimentConfig
        {
            Tokenizer = new TokenizerSettings { Kind = TokenizerKind.Gpt2 },
            Data = new DataSettings { TrainSources = ["builtin:dotnet-docs"], InputLength = input, NoiseDensity = density, MeanNoiseSpanLength = span },
            Optim = new OptimizerSettings { BatchSize = batch, GradAcc = gradAcc },
        };
        bool runtimeOk = ExperimentConfigValidation.Problems(config).Count == 0;

        using var v = new Validating();
        var diagnostics = v.Run(Validating.Valid(
            ("NanoT5BatchSize", batch.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("NanoT5GradAcc", gradAcc.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("NanoT5InputLength", input.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("NanoT5NoiseDensity", density.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("NanoT5MeanNoiseSpanLength", span.ToString(System.Globalization.CultureInfo.InvariantCulture))));

        Assert.Equal(runtimeOk, diagnostics.Count == 0);
    }
}
