using NanoT5.Data;
using NanoT5.Model;
using NanoT5.Optim;
using NanoT5.Optim.Schedules;
using NanoT5.Training;
using NanoT5.Verification;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoT5.Tests.Model;

/// <summary>
/// The sdpa attention against the eager one on a tiny T5 with everything attention has to get right: encoder
/// padding, -100 labels, the decoder's causal self-attention and its cross-attention, and the learned position
/// bias of both stacks (its gradient comes through the fused kernel's mask).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class FusedAttentionTests
{
    // fp32's unit roundoff is u = 2^-24 ≈ 6e-8. The two paths add the same terms in another order (LibTorch's
    // fused kernel works in blocks with a running max), so each attention output moves by a few ulp, and 2 + 3
    // layers with std-1 embeddings and lm_head carry that to logits of |x| ≈ 20, where one ulp is 1.9e-6.
    // Measured (2026-11-30, LibTorch 2.10 CPU): logits 5.7e-6 (d_kv 16) and 9.1e-6 (d_kv 8), 3-5 ulp; every
    // gradient within 2.4e-6 of its largest entry (~40u). The bounds leave 5x and 40x of room; a wrong mask,
    // scale or causal handling moves logits by O(1) and gradients by O(their size).
    private const double LogitsAbs = 5e-5;
    private const double GradRelToMax = 1e-4;
    private const double LossRel = 1e-5;

    private static T5Config Tiny(int dKv, AttentionKind attention) => new()
    {
        VocabSize = 64, DModel = 32, DKv = dKv, DFf = 48, NumLayers = 2, NumDecoderLayers = 3, NumHeads = 4, Attention = attention,
    };

    private static T5ForConditionalGeneration NewModel(T5Config config)
    {
        torch.manual_seed(11);
        var model = new T5ForConditionalGeneration(config);
        model.InitializeWeights();
        return model;
    }

    // Row 0 full, row 1 with 5 padded encoder positions and 3 ignored labels.
    private static (Tensor Input, Tensor Mask, Tensor Labels) Batch()
    {
        var generator = new torch.Generator(5);
        Tensor input = randint(2, 64, [2, 16], generator: generator);
        Tensor mask = ones_like(input);
        mask[1, 11..] = tensor(0L);
        input[1, 11..] = tensor(0L);
        Tensor labels = randint(2, 64, [2, 9], generator: generator);
        labels[1, 6..] = tensor(-100L);
        return (input, mask, labels);
    }

    // sqrt(16) = 4 is a power of two like T5's sqrt(64) = 8, so pre-scaling q is exact; sqrt(8) is not.
    [Theory]
    [InlineData(16)]
    [InlineData(8)]
    public void Forward_WithSdpa_GivesTheEagerLogitsLossAndEveryGradient(int dKv)
    {
        using var scope = NewDisposeScope();
        (Tensor input, Tensor mask, Tensor labels) = Batch();
        using var eager = NewModel(Tiny(dKv, AttentionKind.Eager));
        using var fused = NewModel(Tiny(dKv, AttentionKind.Sdpa));

        Seq2SeqOutput expected = eager.forward(input, mask, labels);
        Seq2SeqOutput actual = fused.forward(input, mask, labels);
        expected.Loss.backward();
        actual.Loss.backward();

        double logitsDiff = (actual.Logits - expected.Logits).abs().max().item<float>();
        Assert.True(logitsDiff < LogitsAbs, $"logits differ by {logitsDiff}");
        Assert.True(expected.Logits.abs().max().item<float>() > 1, "logits of a std-1 init are O(1) and above");
        double loss = expected.Loss.item<float>();
        Assert.True(Math.Abs(actual.Loss.item<float>() - loss) <= LossRel * loss, $"loss {actual.Loss.item<float>()} vs {loss}");
        var fusedParameters = fused.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(eager.named_parameters().Count(), fusedParameters.Count);
        foreach (var (name, parameter) in eager.named_parameters())
        {
            Tensor g = parameter.grad!, h = fusedParameters[name].grad!;
            double scale = g.abs().max().item<float>();
            double diff = (h - g).abs().max().item<float>();
            Assert.True(scale > 0 || name == "shared.weight", $"{name} has no gradient in the eager model: the comparison would prove nothing");
            Assert.True(diff <= GradRelToMax * scale, $"grad.{name} differs by {diff} (its largest entry is {scale})");
        }

        Assert.True(fusedParameters["decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"].grad!.abs().max().item<float>() > 0);
    }

    [Fact]
    public void AdamWScaleSteps_WithSdpa_FollowTheEagerLosses()
    {
        using var scope = NewDisposeScope();
        (Tensor input, Tensor mask, Tensor labels) = Batch();
        double[] eager = Losses(AttentionKind.Eager, input, mask, labels);
        double[] fused = Losses(AttentionKind.Sdpa, input, mask, labels);

        Assert.True(eager[^1] < eager[0] - 0.5, $"the steps must change the model for the comparison to mean anything ({eager[0]} -> {eager[^1]})");
        // AdamWScale divides by sqrt(v): early updates are about the sign of each gradient entry, so a tiny
        // difference in a near-zero entry can move one weight by lr. Measured: 1.8e-7 relative after one step;
        // 1e-4 relative is far below what a wrong kernel gives (the losses fall by more than 0.5 over these steps).
        for (int i = 0; i < eager.Length; i++)
        {
            Assert.True(Math.Abs(fused[i] - eager[i]) <= 1e-4 * eager[i], $"step {i}: sdpa {fused[i]} vs eager {eager[i]}");
        }
    }

    [Fact]
    public void Forward_WithSdpaUnderBf16Autocast_StaysWithinTheBf16ParityBoundsOfFp32()
    {
        using var scope = NewDisposeScope();
        (Tensor input, Tensor mask, Tensor labels) = Batch();
        using var reference = NewModel(Tiny(16, AttentionKind.Eager));
        using var fused = NewModel(Tiny(16, AttentionKind.Sdpa));
        Seq2SeqOutput expected = reference.forward(input, mask, labels);
        Seq2SeqOutput actual;
        using (Autocast.Enable(ScalarType.BFloat16))
        {
            actual = fused.forward(input, mask, labels);
        }

        double logitsDiff = (actual.Logits.to(ScalarType.Float32) - expected.Logits).abs().max().item<float>();
        double loss = expected.Loss.item<float>();
        Assert.True(logitsDiff < ParityTolerances.Bf16.LogitsAbs, $"logits differ by {logitsDiff}");
        Assert.True(logitsDiff > 1e-3, "bf16 rounding must be visible, or the kernel did not run in bf16");
        Assert.True(Math.Abs(actual.Loss.item<float>() - loss) <= ParityTolerances.Bf16.LossRel * loss);
    }

    [Fact]
    public void GreedyGeneration_WithSdpaAndTheKeyValueCache_GivesTheEagerTokens()
    {
        using var scope = NewDisposeScope();
        (Tensor input, Tensor mask, _) = Batch();
        using var eager = NewModel(Tiny(16, AttentionKind.Eager));
        using var fused = NewModel(Tiny(16, AttentionKind.Sdpa));
        eager.eval();
        fused.eval();

        Tensor expected = GreedyGenerator.Generate(eager, input, mask, maxNewTokens: 12);
        Tensor actual = GreedyGenerator.Generate(fused, input, mask, maxNewTokens: 12);

        Assert.Equal(expected.data<long>().ToArray(), actual.data<long>().ToArray());
        Assert.True(expected.shape[1] > 2, "generation must run several cached steps");
    }

    [Fact]
    public void FusedMask_ClampsFp32sLowestValueToBf16sInsteadOfOverflowingToMinusInfinity()
    {
        using var scope = NewDisposeScope();
        Tensor bias = tensor(new[] { float.MinValue, -1.5f, 0f });

        Tensor mask = T5Attention.FusedMask(bias, ScalarType.BFloat16);

        Assert.Equal(ScalarType.BFloat16, mask.dtype);
        Assert.True(mask.isfinite().all().item<bool>());
        Assert.Equal(new[] { -3.3895313892515355e38, -1.5, 0 }, mask.to(ScalarType.Float64).data<double>().ToArray());
        Assert.Same(bias, T5Attention.FusedMask(bias, ScalarType.Float32));
    }

    private static double[] Losses(AttentionKind attention, Tensor input, Tensor mask, Tensor labels)
    {
        using var model = NewModel(Tiny(16, attention));
        using var optimizer = new AdamWScale(model.named_parameters().Select(p => new OptimizedParameter(p.name, p.parameter, 0)).ToList(), new AdamWScaleOptions());
        var step = new TrainingStep(model, optimizer, new ConstantSchedule(1e-2), gradClip: 1.0);
        var losses = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            losses.Add(step.Run([new TrainingBatch(input, mask, labels)], i).Loss);
        }

        using (no_grad())
        {
            losses.Add(model.forward(input, mask, labels).Loss.item<float>());
        }

        return [.. losses];
    }
}
