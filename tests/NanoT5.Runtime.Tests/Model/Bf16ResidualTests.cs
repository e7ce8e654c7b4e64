using NanoT5.Model;
using NanoT5.Optim;
using NanoT5.Verification;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoT5.Tests.Model;

/// <summary>The residual stream in bf16 (nanoT5's is_bf16) on top of bf16 autocast, against fp32 on a tiny T5.</summary>
[Collection(TorchCollection.Name)]
public sealed class Bf16ResidualTests
{
    private static readonly T5Config Tiny = new() { VocabSize = 64, DModel = 32, DKv = 16, DFf = 48, NumLayers = 2, NumDecoderLayers = 2, NumHeads = 4 };

    private static T5ForConditionalGeneration NewModel()
    {
        torch.manual_seed(12);
        var model = new T5ForConditionalGeneration(Tiny);
        model.InitializeWeights();
        return model;
    }

    private static (Tensor Input, Tensor Mask, Tensor Labels) Batch()
    {
        var generator = new torch.Generator(6);
        Tensor input = randint(2, 64, [4, 16], generator: generator);
        return (input, ones_like(input), randint(2, 64, [4, 8], generator: generator));
    }

    [Fact]
    public void Autocast_WithTheResidualStream_SetsItsDtypeAndRestoresTheOuterScopeOnDispose()
    {
        Assert.Null(Autocast.ResidualDtype);
        using (Autocast.Enable(ScalarType.BFloat16, residualStream: true))
        {
            Assert.Equal(ScalarType.BFloat16, Autocast.ResidualDtype);
            using (Autocast.Enable(ScalarType.BFloat16))
            {
                Assert.Null(Autocast.ResidualDtype);
            }

            Assert.Equal(ScalarType.BFloat16, Autocast.ResidualDtype);
        }

        Assert.Null(Autocast.ResidualDtype);
        Assert.Null(Autocast.MatmulDtype);
    }

    [Fact]
    public void Forward_WithTheResidualStreamInBf16_StaysWithinTheBf16LossBoundAndIsNotPlainAutocast()
    {
        using var scope = NewDisposeScope();
        (Tensor input, Tensor mask, Tensor labels) = Batch();
        using var model = NewModel();
        double fp32 = model.forward(input, mask, labels).Loss.item<float>();
        double autocast, residual;
        using (Autocast.Enable(ScalarType.BFloat16))
        {
            autocast = model.forward(input, mask, labels).Loss.item<float>();
        }

        using (Autocast.Enable(ScalarType.BFloat16, residualStream: true))
        {
            residual = model.forward(input, mask, labels).Loss.item<float>();
        }

        // ParityTolerances.Bf16.LossRel: 2u of bf16 (u = 2^-8), the bound the bf16 parity check uses.
        Assert.True(Math.Abs(residual - fp32) <= ParityTolerances.Bf16.LossRel * fp32, $"bf16 residual loss {residual} vs fp32 {fp32}");
        Assert.NotEqual(autocast, residual); // the residual sums really were rounded to bf16
    }

    [Fact]
    public void AdamWScaleSteps_WithTheResidualStreamInBf16_LearnLikeFp32()
    {
        using var scope = NewDisposeScope();
        (Tensor input, Tensor mask, Tensor labels) = Batch();
        double[] fp32 = Losses(null, residualStream: false, input, mask, labels);
        double[] residual = Losses(ScalarType.BFloat16, residualStream: true, input, mask, labels);

        Assert.True(residual[^1] < residual[0] - 0.5, $"the loss must fall ({residual[0]} -> {residual[^1]})");
        // Each step's update follows from bf16-rounded gradients, so the runs drift apart step by step; 5 steps
        // of 2u each (the forward bound above) is 10u ≈ 3.9e-2 relative.
        for (int i = 0; i < fp32.Length; i++)
        {
            Assert.True(Math.Abs(residual[i] - fp32[i]) <= 5 * ParityTolerances.Bf16.LossRel * fp32[i], $"step {i}: bf16 residual {residual[i]} vs fp32 {fp32[i]}");
        }
    }

    private static double[] Losses(ScalarType? autocast, bool residualStream, Tensor input, Tensor mask, Tensor labels)
    {
        using var model = NewModel();
        model.train();
        var named = model.named_parameters().ToList();
        using var optimizer = new AdamWScale(named.Select(p => new OptimizedParameter(p.name, p.parameter, 0)).ToList(), new AdamWScaleOptions());
        var losses = new List<double>();
        for (int step = 0; step < 5; step++)
        {
            using var stepScope = NewDisposeScope();
            Tensor loss;
            using (Autocast.Enable(autocast, residualStream))
            {
                loss = model.forward(input, mask, labels).Loss;
            }

            loss.backward();
            losses.Add(loss.item<float>());
            GradientClipping.ClipGlobalNorm(named.Select(p => (Tensor)p.parameter), 1.0);
            optimizer.Step(1e-2);
            model.zero_grad();
        }

        return [.. losses];
    }
}
