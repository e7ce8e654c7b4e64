using NanoT5.Verification;

namespace NanoT5.Tests.Verification;

[Collection(TorchCollection.Name)]
public sealed class ParityCheckTests
{
    [Fact]
    public void Run_OnTheReferenceFixture_EveryValueIsWithinTheReadmeTolerances()
    {
        IReadOnlyList<ParityResult> results = ParityCheck.Run(TestPaths.ParityFixture);

        Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: {r.Measured} > {r.Tolerance}"));
        string[] expected =
        [
            "relative_position_bucket_bidirectional", "relative_position_bucket_unidirectional", "decoder_input_ids",
            "encoder_hidden_states", "logits", "loss",
            "grad.shared.weight", "grad.encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight", "grad.lm_head.weight",
            "grad_norm_before_clip",
            "after_step.shared.weight", "after_step.encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight", "after_step.lm_head.weight",
            "loss_after_step",
        ];
        Assert.Equal(expected, results.Select(r => r.Name));
    }

    [Fact]
    public void Run_InBf16_StaysWithinTheBf16BoundsAndReallyDiffersFromFp32()
    {
        IReadOnlyList<ParityResult> results = ParityCheck.Run(TestPaths.ParityFixture, autocast: TorchSharp.torch.ScalarType.BFloat16);

        Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: {r.Measured} > {r.Tolerance}"));
        Assert.Equal(
            ["relative_position_bucket_bidirectional", "relative_position_bucket_unidirectional", "decoder_input_ids", "encoder_hidden_states", "logits", "loss", "grad_norm_before_clip"],
            results.Select(r => r.Name));
        // bf16 rounding is visible: far above fp32's 1e-5, so the matmuls did run in bf16.
        Assert.True(results.Single(r => r.Name == "encoder_hidden_states").MaxAbsDiff > 1e-3);
        Assert.Equal(ParityTolerances.Bf16.LogitsAbs, results.Single(r => r.Name == "logits").Tolerance);
    }

    [Fact]
    public void Run_WithSdpaAttention_MeetsTheSameGoldenValuesAndTolerancesAsEager()
    {
        IReadOnlyList<ParityResult> results = ParityCheck.Run(TestPaths.ParityFixture, attention: NanoT5.Model.AttentionKind.Sdpa);

        Assert.All(results, r => Assert.True(r.Passed, $"{r.Name}: {r.Measured} > {r.Tolerance}"));
        Assert.Equal(14, results.Count);
        Assert.Contains(results, r => r.Name == "grad.encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight");
    }

    [Fact]
    public void Scaled_MultipliesEveryTolerance()
    {
        ParityTolerances scaled = new ParityTolerances().Scaled(10);

        Assert.Equal(
            [1e-4, 1e-3, 1e-4, 1e-4, 1e-5, 1e-4],
            new[] { scaled.EncoderHiddenStatesAbs, scaled.LogitsAbs, scaled.LossRel, scaled.GradNormRel, scaled.GradAbs, scaled.AfterStepAbs }.Select(v => Math.Round(v, 12)));
    }

    [Fact]
    public void Run_WithTolerancesTighterThanTheDifferences_ReportsFailures()
    {
        var impossible = new ParityTolerances { LogitsAbs = 0, EncoderHiddenStatesAbs = 0 };

        IReadOnlyList<ParityResult> results = ParityCheck.Run(TestPaths.ParityFixture, impossible);

        Assert.Contains(results, r => r.Name == "logits" && !r.Passed);
    }

    [Fact]
    public void Run_OnAFolderWithoutTheFixtureFiles_NamesTheMissingFile()
    {
        using var folder = TestPaths.NewTempFolder();

        var error = Assert.Throws<FileNotFoundException>(() => ParityCheck.Run(folder.Path));

        Assert.Contains("config.json", error.Message, StringComparison.Ordinal);
    }
}
