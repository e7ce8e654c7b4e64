using NanoT5.Benchmarks;
using NanoT5.Config;
using NanoT5.Model;
using NanoT5.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoT5.Tests.Benchmarks;

[Collection(TorchCollection.Name)]
public sealed class OptimizerStepBenchmarkTests
{
    [Fact]
    public void CreateOptimizer_ForEveryOptimizerKind_TakesTheStepTrainingTakes()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        using var model = new T5ForConditionalGeneration(T5Presets.Get("mini", vocabSize: 256));
        var named = model.named_parameters().ToList();
        Tensor[] start = [.. named.Select(p => p.parameter.detach().clone())];
        Tensor[] grads = [.. named.Select(p => randn_like(p.parameter).mul_(1e-3))];

        // The parameters after one step of `optimizer` from the same start and gradients.
        Tensor[] StepOnce(IOptimizer optimizer)
        {
            using (no_grad())
            {
                for (int i = 0; i < named.Count; i++)
                {
                    named[i].parameter.copy_(start[i]);
                    named[i].parameter.grad = grads[i].clone();
                }
            }

            optimizer.Step(1e-3, gradScale: 0.5);
            return [.. named.Select(p => p.parameter.detach().clone())];
        }

        var stepped = new List<Tensor[]>();
        foreach (OptimizerKind kind in Enum.GetValues<OptimizerKind>())
        {
            using IOptimizer training = OptimizerFactory.Create(new OptimizerSettings { Name = kind, WeightDecay = 0 }, named);
            using IOptimizer benchmarked = OptimizerStepBenchmark.CreateOptimizer(named, kind, allowFused: true);

            Tensor[] expected = StepOnce(training);
            Tensor[] actual = StepOnce(benchmarked);

            Assert.IsType(training.GetType(), benchmarked);
            Assert.All(Enumerable.Range(0, named.Count), i => Assert.True(expected[i].allclose(actual[i], rtol: 0, atol: 0), $"{kind}: {named[i].name} differs from training's step"));
            stepped.Add(actual);
        }

        // The kinds take different steps, so a benchmark that built another kind's optimizer would fail above.
        for (int a = 0; a < stepped.Count; a++)
        {
            for (int b = a + 1; b < stepped.Count; b++)
            {
                Assert.Contains(Enumerable.Range(0, named.Count), i => !stepped[a][i].allclose(stepped[b][i], rtol: 0, atol: 0));
            }
        }
    }
}
