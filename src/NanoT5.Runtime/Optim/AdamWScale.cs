// Ports nanoT5's AdamWScale (and, without the scaling, HuggingFace's AdamW that nanoT5 fine-tunes with):
// bias-corrected Adam, each tensor's step multiplied by max(1e-3, RMS(parameter)) (Adafactor's
// scale_parameter), decoupled weight decay applied after the update.
//
// Two execution paths with the same arithmetic: contiguous fp32 CPU tensors go through
// FusedAdamWKernel (one memory pass); anything else (CUDA, other dtypes) through LibTorch ops per tensor.
using static TorchSharp.torch;

namespace NanoT5.Optim;

/// <summary>Hyperparameters of AdamW and AdamWScale.</summary>
public sealed record AdamWScaleOptions
{
    public (double Beta1, double Beta2) Betas { get; init; } = (0.9, 0.999);

    /// <summary>HF's AdamW and nanoT5's AdamWScale default to 1e-6 (not PyTorch's 1e-8).</summary>
    public double Eps { get; init; } = 1e-6;

    /// <summary>Scale each tensor's step by max(1e-3, RMS(p)); false gives plain AdamW.</summary>
    public bool ScaleByParameterRms { get; init; } = true;

    /// <summary>Use the fused CPU kernel where the tensors allow it (tests turn it off to compare paths).</summary>
    public bool AllowFusedCpuKernel { get; init; } = true;
}

/// <summary>AdamW with optional per-tensor RMS step scaling.</summary>
public sealed class AdamWScale : IOptimizer
{
    private const double MinRms = 1e-3;
    private readonly AdamWScaleOptions options;
    private readonly OptimizerStateSlots expAvg;
    private readonly OptimizerStateSlots expAvgSq;

    public AdamWScale(IReadOnlyList<OptimizedParameter> parameters, AdamWScaleOptions options)
    {
        Parameters = parameters;
        this.options = options;
        expAvg = new OptimizerStateSlots("exp_avg", parameters, p => zeros_like(p.Parameter));
        expAvgSq = new OptimizerStateSlots("exp_avg_sq", parameters, p => zeros_like(p.Parameter));
    }

    /// <inheritdoc />
    public IReadOnlyList<OptimizedParameter> Parameters { get; }

    /// <inheritdoc />
    public long StepCount { get; private set; }

    /// <inheritdoc />
    public void Step(double lr, double gradScale = 1.0)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        StepCount++;
        var (beta1, beta2) = options.Betas;
        // HF's bias correction folded into the step size, in fp64 as Python computes it.
        double stepSize = lr * Math.Sqrt(1.0 - Math.Pow(beta2, StepCount)) / (1.0 - Math.Pow(beta1, StepCount));

        var fused = new List<int>();
        var grads = new Tensor?[Parameters.Count];
        for (int i = 0; i < Parameters.Count; i++)
        {
            grads[i] = Parameters[i].Parameter.grad;
            if (grads[i] is not null && CanFuse(i, grads[i]!))
            {
                fused.Add(i);
            }
        }

        if (fused.Count > 0)
        {
            StepFused(fused, grads, lr, stepSize, gradScale);
        }

        for (int i = 0; i < Parameters.Count; i++)
        {
            if (grads[i] is not null && !fused.Contains(i))
            {
                StepWithTorchOps(i, grads[i]!, lr, stepSize, gradScale);
            }
        }
    }

    private bool CanFuse(int i, Tensor grad)
    {
        Tensor p = Parameters[i].Parameter;
        return options.AllowFusedCpuKernel
            && p.device_type == TorchSharp.DeviceType.CPU && p.dtype == ScalarType.Float32 && grad.dtype == ScalarType.Float32
            && p.is_contiguous() && grad.is_contiguous() && expAvg[i].is_contiguous() && expAvgSq[i].is_contiguous();
    }

    private void StepFused(List<int> indices, Tensor?[] grads, double lr, double stepSize, double gradScale)
    {
        double[] sumsOfSquares = options.ScaleByParameterRms
            ? FusedAdamWKernel.SumOfSquares(indices.Select(i => (FusedAdamWKernel.Address(Parameters[i].Parameter), Parameters[i].Parameter.NumberOfElements)).ToList())
            : [];
        var work = new List<FusedAdamWKernel.Tensors>(indices.Count);
        for (int k = 0; k < indices.Count; k++)
        {
            int i = indices[k];
            Tensor p = Parameters[i].Parameter;
            float rms = options.ScaleByParameterRms ? (float)(Math.Sqrt(sumsOfSquares[k]) / Math.Sqrt(p.NumberOfElements)) : 1f;
            work.Add(new FusedAdamWKernel.Tensors(
                FusedAdamWKernel.Address(p), FusedAdamWKernel.Address(grads[i]!), FusedAdamWKernel.Address(expAvg[i]), FusedAdamWKernel.Address(expAvgSq[i]),
                p.NumberOfElements, ScaledStep(stepSize, rms), (float)(-lr * Parameters[i].WeightDecay)));
        }

        var (beta1, beta2) = options.Betas;
        FusedAdamWKernel.Update(work, (float)beta1, (float)beta2, (float)options.Eps, (float)gradScale);
    }

    private void StepWithTorchOps(int i, Tensor grad, double lr, double stepSize, double gradScale)
    {
        Tensor p = Parameters[i].Parameter;
        var (beta1, beta2) = options.Betas;
        if (gradScale != 1.0)
        {
            grad = grad * gradScale;
        }

        expAvg[i].mul_(beta1).add_(grad, alpha: 1.0 - beta1);
        expAvgSq[i].mul_(beta2).addcmul_(grad, grad, value: 1.0 - beta2);
        Tensor denom = expAvgSq[i].sqrt().add_(options.Eps);
        if (options.ScaleByParameterRms)
        {
            // -step x max(1e-3, RMS(p)) stays a 0-dim tensor on the device: reading it with .item() would make the
            // host wait for the GPU once per parameter tensor (~200 times a step for T5-base).
            Tensor scaledStep = (linalg.vector_norm(p) / Math.Sqrt(p.NumberOfElements)).clamp_min(MinRms).mul_(-stepSize);
            p.add_(expAvg[i].div(denom).mul_(scaledStep));
        }
        else
        {
            p.addcdiv_(expAvg[i], denom, value: -(float)stepSize);
        }

        if (Parameters[i].WeightDecay > 0)
        {
            p.add_(p, alpha: -lr * Parameters[i].WeightDecay);
        }
    }

    // The reference multiplies the fp64 step by a 0-dim fp32 RMS tensor: the product is fp32.
    private float ScaledStep(double stepSize, float rms) =>
        !options.ScaleByParameterRms ? (float)stepSize
        : rms > MinRms ? (float)stepSize * rms
        : (float)(stepSize * MinRms);

    /// <inheritdoc />
    public IReadOnlyList<(string Name, Tensor Tensor)> StateTensors() => expAvg.Named().Concat(expAvgSq.Named()).ToList();

    /// <inheritdoc />
    public void LoadState(IReadOnlyDictionary<string, Tensor> tensors, long stepCount, string source)
    {
        expAvg.Load(tensors, source);
        expAvgSq.Load(tensors, source);
        StepCount = stepCount;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        expAvg.Dispose();
        expAvgSq.Dispose();
    }
}
