using NanoT5.Optim;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoT5.Tests.Optim;

[Collection(TorchCollection.Name)]
public sealed class AdafactorTests
{
    private static double Rms(IEnumerable<double> x)
    {
        var list = x.ToList();
        return Math.Sqrt(list.Sum(v => v * v) / list.Count);
    }

    [Fact]
    public void Step_OnAMatrix_UsesTheFactoredSecondMomentAndHfsDecayAndClipping()
    {
        double[,] p = { { 0.5, -0.25, 1.0 }, { 2.0, 0.1, -0.3 } };
        double[][,] grads = [new double[,] { { 0.1, -0.2, 0.3 }, { 0.05, 0.4, -0.1 } }, new double[,] { { -0.3, 0.1, 0.2 }, { 0.2, -0.1, 0.05 } }];
        using var param = new Parameter(tensor(Flatten(p).Select(x => (float)x).ToArray(), [2, 3]));
        using var optimizer = new Adafactor([new OptimizedParameter("w", param, 0)], new AdafactorOptions());
        double lr = 1e-2;
        double[] row = new double[2], col = new double[3];

        for (int t = 1; t <= 2; t++)
        {
            double[,] g = grads[t - 1];
            param.grad = tensor(Flatten(g).Select(x => (float)x).ToArray(), [2, 3]);
            optimizer.Step(lr);

            // beta2_t = 1 - t^-0.8 (0 at the first step: the statistics are replaced).
            double beta2t = 1 - Math.Pow(t, -0.8);
            double stepLr = lr * Math.Max(1e-3, Rms(Flatten(p)));
            for (int r = 0; r < 2; r++)
            {
                row[r] = (beta2t * row[r]) + ((1 - beta2t) * Enumerable.Range(0, 3).Average(c => (g[r, c] * g[r, c]) + 1e-30));
            }

            for (int c = 0; c < 3; c++)
            {
                col[c] = (beta2t * col[c]) + ((1 - beta2t) * Enumerable.Range(0, 2).Average(r => (g[r, c] * g[r, c]) + 1e-30));
            }

            double rowMean = row.Average();
            var update = new double[2, 3];
            for (int r = 0; r < 2; r++)
            {
                for (int c = 0; c < 3; c++)
                {
                    update[r, c] = g[r, c] / Math.Sqrt(row[r] / rowMean) / Math.Sqrt(col[c]);
                }
            }

            double clip = Math.Max(1.0, Rms(Flatten(update)) / 1.0);
            for (int r = 0; r < 2; r++)
            {
                for (int c = 0; c < 3; c++)
                {
                    p[r, c] -= update[r, c] / clip * stepLr;
                }
            }

            float[] actual = param.data<float>().ToArray();
            double[] expected = Flatten(p).ToArray();
            for (int i = 0; i < 6; i++)
            {
                Assert.Equal(expected[i], actual[i], 1e-6);
            }
        }
    }

    [Fact]
    public void Step_OnAVector_KeepsTheFullSecondMoment()
    {
        double[] p = [0.5, -1.0, 0.25];
        double[] g = [0.2, -0.1, 0.4];
        using var param = new Parameter(tensor(p.Select(x => (float)x).ToArray()));
        using var optimizer = new Adafactor([new OptimizedParameter("layer_norm.weight", param, 0)], new AdafactorOptions());
        param.grad = tensor(g.Select(x => (float)x).ToArray());

        optimizer.Step(0.1);

        // Step 1: v = g^2 + eps1, update = g / sqrt(v) = sign(g), RMS 1 -> no clipping; lr * max(1e-3, rms(p)).
        double stepLr = 0.1 * Rms(p);
        float[] actual = param.data<float>().ToArray();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(p[i] - (Math.Sign(g[i]) * stepLr), actual[i], 1e-6);
        }

        Assert.Equal(["exp_avg_sq/layer_norm.weight"], optimizer.StateTensors().Select(t => t.Name));
    }

    [Fact]
    public void StateTensors_OfAMatrix_AreTheRowAndColumnStatistics()
    {
        using var param = new Parameter(ones(4, 6));
        using var optimizer = new Adafactor([new OptimizedParameter("q.weight", param, 0)], new AdafactorOptions());

        var state = optimizer.StateTensors().ToDictionary(t => t.Name, t => t.Tensor.shape);

        Assert.Equal(new long[] { 4 }, state["exp_avg_sq_row/q.weight"]);
        Assert.Equal(new long[] { 6 }, state["exp_avg_sq_col/q.weight"]);
        Assert.Equal(2, state.Count);
    }

    private static IEnumerable<double> Flatten(double[,] m)
    {
        foreach (double x in m)
        {
            yield return x;
        }
    }
}
