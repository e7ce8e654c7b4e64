using NanoT5.Optim;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoT5.Tests.Optim;

[Collection(TorchCollection.Name)]
public sealed class AdamWScaleTests
{
    [Theory]
    [InlineData(true, 0.0)]
    [InlineData(true, 0.1)]
    [InlineData(false, 0.01)]
    public void Step_FollowsTheReferenceFormulaElementByElement(bool scaleByRms, double weightDecay)
    {
        float[] p0 = [0.5f, -1.25f, 2f, 0.0625f];
        float[][] grads = [[0.1f, -0.2f, 0.3f, 0f], [-0.05f, 0.4f, 0.1f, 0.2f], [0.3f, 0.3f, -0.3f, 0.1f]];
        double[] lrs = [1e-2, 2e-2, 5e-3];
        using var p = new Parameter(tensor(p0));
        using var optimizer = new AdamWScale([new OptimizedParameter("w", p, weightDecay)], new AdamWScaleOptions { ScaleByParameterRms = scaleByRms });

        double[] expected = p0.Select(x => (double)x).ToArray();
        double[] m = new double[4], v = new double[4];
        for (int t = 1; t <= grads.Length; t++)
        {
            p.grad = tensor(grads[t - 1]);
            optimizer.Step(lrs[t - 1]);

            // m = 0.9 m + 0.1 g; v = 0.999 v + 0.001 g^2; step = lr sqrt(1 - 0.999^t) / (1 - 0.9^t) * max(1e-3, rms(p));
            // p -= step m / (sqrt(v) + 1e-6); p -= lr wd p.
            double rms = Math.Sqrt(expected.Sum(x => x * x) / 4);
            double step = lrs[t - 1] * Math.Sqrt(1 - Math.Pow(0.999, t)) / (1 - Math.Pow(0.9, t)) * (scaleByRms ? Math.Max(1e-3, rms) : 1);
            for (int i = 0; i < 4; i++)
            {
                double g = grads[t - 1][i];
                m[i] = (0.9 * m[i]) + (0.1 * g);
                v[i] = (0.999 * v[i]) + (0.001 * g * g);
                expected[i] -= step * m[i] / (Math.Sqrt(v[i]) + 1e-6);
                expected[i] -= lrs[t - 1] * weightDecay * expected[i];
            }

            float[] actual = p.data<float>().ToArray();
            for (int i = 0; i < 4; i++)
            {
                Assert.Equal(expected[i], actual[i], 5e-6);
            }
        }

        Assert.Equal(3, optimizer.StepCount);
    }

    [Fact]
    public void Step_ForATensorWithTinyRms_UsesTheFloorOf1e3()
    {
        using var p = new Parameter(full(16, 1e-5f));
        using var optimizer = new AdamWScale([new OptimizedParameter("w", p, 0)], new AdamWScaleOptions());
        p.grad = ones(16);

        optimizer.Step(1.0);

        // First Adam step is sign(g) * lr * sqrt(1-0.999)/(1-0.9) * m/(sqrt(v)+eps) ~= 1; scaled by 1e-3, not by the RMS 1e-5.
        double expectedStep = Math.Sqrt(0.001) / 0.1 * 1e-3 * (0.1 / (Math.Sqrt(0.001) + 1e-6));
        Assert.Equal(1e-5 - expectedStep, p.data<float>()[0], 1e-7);
    }

    [Fact]
    public void LibTorchOpPath_ScalesATinyParameterByTheMinimumRmsToo()
    {
        using var p = new Parameter(full(16, 1e-5f));
        using var optimizer = new AdamWScale([new OptimizedParameter("w", p, 0)], new AdamWScaleOptions { AllowFusedCpuKernel = false });
        p.grad = ones(16);

        optimizer.Step(1.0);

        double expectedStep = Math.Sqrt(0.001) / 0.1 * 1e-3 * (0.1 / (Math.Sqrt(0.001) + 1e-6));
        Assert.Equal(1e-5 - expectedStep, p.data<float>()[0], 1e-7);
    }

    [Fact]
    public void FusedKernel_MatchesTheLibTorchOpPath_OverSeveralStepsWithClippingAndDecay()
    {
        torch.manual_seed(7);
        var shapes = new long[][] { [64, 33], [100_003], [7], [3, 5, 2] };
        using var scope = NewDisposeScope();
        var fusedParams = shapes.Select(s => new Parameter(randn(s))).ToList();
        var torchParams = fusedParams.Select(p => new Parameter(p.detach().clone())).ToList();
        using var fused = new AdamWScale(fusedParams.Select((p, i) => new OptimizedParameter($"p{i}", p, i % 2 == 0 ? 0.01 : 0)).ToList(), new AdamWScaleOptions());
        using var reference = new AdamWScale(torchParams.Select((p, i) => new OptimizedParameter($"p{i}", p, i % 2 == 0 ? 0.01 : 0)).ToList(), new AdamWScaleOptions { AllowFusedCpuKernel = false });

        for (int step = 0; step < 5; step++)
        {
            for (int i = 0; i < shapes.Length; i++)
            {
                Tensor g = randn(shapes[i]);
                fusedParams[i].grad = g;
                torchParams[i].grad = g.clone();
            }

            fused.Step(1e-2, gradScale: 0.37);
            reference.Step(1e-2, gradScale: 0.37);
        }

        for (int i = 0; i < shapes.Length; i++)
        {
            double diff = (fusedParams[i] - torchParams[i]).abs().max().item<float>();
            Assert.True(diff < 2e-6, $"parameter {i} differs by {diff}");
        }
    }

    [Fact]
    public void StateTensors_SavedAndLoaded_ContinueBitExactly()
    {
        torch.manual_seed(8);
        using var scope = NewDisposeScope();
        var a = new Parameter(randn(20, 10));
        var b = new Parameter(a.detach().clone());
        using var first = new AdamWScale([new OptimizedParameter("w", a, 0.1)], new AdamWScaleOptions());
        var grads = Enumerable.Range(0, 4).Select(_ => randn(20, 10)).ToList();
        a.grad = grads[0].clone();
        first.Step(1e-2);
        a.grad = grads[1].clone();
        first.Step(1e-2);

        using var folder = TestPaths.NewTempFolder();
        NanoT5.Checkpoints.SafeTensorsFile.Save(folder.File("opt.safetensors"), first.StateTensors());
        using (no_grad())
        {
            b.copy_(a);
        }

        using var second = new AdamWScale([new OptimizedParameter("w", b, 0.1)], new AdamWScaleOptions());
        second.LoadState(NanoT5.Checkpoints.SafeTensorsFile.Load(folder.File("opt.safetensors")).ToDictionary(t => t.Name, t => t.Tensor), first.StepCount, "opt.safetensors");

        for (int k = 2; k < 4; k++)
        {
            a.grad = grads[k].clone();
            b.grad = grads[k].clone();
            first.Step(1e-2);
            second.Step(1e-2);
        }

        Assert.True(a.Equals(b));
        Assert.Equal(4, second.StepCount);
    }

    [Fact]
    public void LoadState_FromAnotherOptimizersState_NamesTheMissingTensor()
    {
        using var p = new Parameter(ones(3));
        using var optimizer = new AdamWScale([new OptimizedParameter("encoder.x", p, 0)], new AdamWScaleOptions());

        var error = Assert.Throws<InvalidDataException>(() => optimizer.LoadState(new Dictionary<string, Tensor>(), 1, "optimizer.safetensors"));

        Assert.Contains("optimizer.safetensors", error.Message, StringComparison.Ordinal);
        Assert.Contains("exp_avg/encoder.x", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_SkipsParametersWithoutGradients()
    {
        using var p = new Parameter(ones(3));
        using var optimizer = new AdamWScale([new OptimizedParameter("w", p, 0.5)], new AdamWScaleOptions());

        optimizer.Step(1.0);

        Assert.True(p.Equals(ones(3)));
    }
}
