// Ports nanoT5's AdamWScale: HF's AdamW (bias correction, decoupled weight decay applied after the
// update) with each tensor's step scaled by max(1e-3, RMS(parameter)), Adafactor's scale_parameter.
using static TorchSharp.torch;

namespace NanoT5.Optim;

/// <summary>Hyperparameters of AdamW and AdamWScale.</summary>
public sealed record AdamWScaleOptions
{
    public (double Beta1, double Beta2) Betas { get; init; } = (0.9, 0.999);

    public double Eps { get; init; } = 1e-6;

    public double WeightDecay { get; init; }

    /// <summary>Scale each tensor's step by max(1e-3, RMS(p)); false gives plain AdamW.</summary>
    public bool ScaleByParameterRms { get; init; } = true;
}

/// <summary>AdamW with per-tensor RMS step scaling (nanoT5's default optimizer).</summary>
public sealed class AdamWScale : IDisposable
{
    private readonly IReadOnlyList<OptimizedParameter> parameters;
    private readonly AdamWScaleOptions options;
    private readonly Tensor[] expAvg;
    private readonly Tensor[] expAvgSq;

    public AdamWScale(IReadOnlyList<OptimizedParameter> parameters, AdamWScaleOptions options)
    {
        this.parameters = parameters;
        this.options = options;
        expAvg = parameters.Select(p => zeros_like(p.Parameter).DetachFromDisposeScope()).ToArray();
        expAvgSq = parameters.Select(p => zeros_like(p.Parameter).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>Optimizer steps taken.</summary>
    public long StepCount { get; private set; }

    /// <summary>One update with learning rate <paramref name="lr"/>.</summary>
    public void Step(double lr)
    {
        using var noGrad = no_grad();
        StepCount++;
        var (beta1, beta2) = options.Betas;
        double biasCorrection1 = 1.0 - Math.Pow(beta1, StepCount);
        double biasCorrection2 = 1.0 - Math.Pow(beta2, StepCount);
        double stepSize = lr * Math.Sqrt(biasCorrection2) / biasCorrection1;
        for (int i = 0; i < parameters.Count; i++)
        {
            using var scope = NewDisposeScope();
            Tensor p = parameters[i].Parameter;
            Tensor? grad = p.grad;
            if (grad is null)
            {
                continue;
            }

            expAvg[i].mul_(beta1).add_(grad, alpha: 1.0 - beta1);
            expAvgSq[i].mul_(beta2).addcmul_(grad, grad, value: 1.0 - beta2);
            Tensor denom = expAvgSq[i].sqrt().add_(options.Eps);
            double scaled = stepSize;
            if (options.ScaleByParameterRms)
            {
                // fp32 RMS times the fp64 step size in fp32, as the reference's 0-dim tensor arithmetic does.
                Tensor rms = linalg.vector_norm(p) / (float)Math.Sqrt(p.NumberOfElements);
                float rmsValue = rms.item<float>();
                scaled = rmsValue > 1e-3 ? (float)((float)stepSize * rmsValue) : stepSize * 1e-3;
            }

            p.addcdiv_(expAvg[i], denom, value: -scaled);
            if (parameters[i].WeightDecay > 0)
            {
                p.add_(p, alpha: -lr * parameters[i].WeightDecay);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Tensor t in expAvg.Concat(expAvgSq))
        {
            t.Dispose();
        }
    }
}
