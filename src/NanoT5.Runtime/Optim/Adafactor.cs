// Ports HuggingFace's Adafactor as nanoT5 configures it (relative_step=False, lr given,
// scale_parameter=True, warmup_init=False): factored second moment for matrices (row and column
// running means), decay rate -0.8, eps (1e-30, 1e-3), update clipping at RMS 1.0, no first moment.
using static TorchSharp.torch;

namespace NanoT5.Optim;

/// <summary>Hyperparameters of Adafactor (HF defaults).</summary>
public sealed record AdafactorOptions
{
    /// <summary>Added to the squared gradient.</summary>
    public double Eps1 { get; init; } = 1e-30;

    /// <summary>Lower bound of the parameter RMS that scales the step.</summary>
    public double Eps2 { get; init; } = 1e-3;

    /// <summary>Updates are divided by max(1, RMS(update) / threshold).</summary>
    public double ClipThreshold { get; init; } = 1.0;

    /// <summary>beta2_t = 1 - t^decay_rate.</summary>
    public double DecayRate { get; init; } = -0.8;

    /// <summary>Multiply the step by max(eps2, RMS(p)).</summary>
    public bool ScaleParameter { get; init; } = true;
}

/// <summary>Adafactor with a given learning rate (no relative step).</summary>
public sealed class Adafactor : IOptimizer
{
    private readonly AdafactorOptions options;
    private readonly OptimizerStateSlots row;
    private readonly OptimizerStateSlots column;
    private readonly OptimizerStateSlots full;

    public Adafactor(IReadOnlyList<OptimizedParameter> parameters, AdafactorOptions options)
    {
        Parameters = parameters;
        this.options = options;
        // Matrices (and higher) keep row and column statistics; vectors keep the full second moment.
        row = new OptimizerStateSlots("exp_avg_sq_row", parameters, p => IsFactored(p) ? zeros(p.Parameter.shape[..^1], dtype: ScalarType.Float32, device: p.Parameter.device) : null);
        column = new OptimizerStateSlots("exp_avg_sq_col", parameters, p => IsFactored(p) ? zeros([.. p.Parameter.shape[..^2], p.Parameter.shape[^1]], dtype: ScalarType.Float32, device: p.Parameter.device) : null);
        full = new OptimizerStateSlots("exp_avg_sq", parameters, p => IsFactored(p) ? null : zeros_like(p.Parameter, dtype: ScalarType.Float32));
    }

    /// <inheritdoc />
    public IReadOnlyList<OptimizedParameter> Parameters { get; }

    /// <inheritdoc />
    public long StepCount { get; private set; }

    /// <inheritdoc />
    public void Step(double lr, double gradScale = 1.0)
    {
        using var noGrad = no_grad();
        StepCount++;
        double beta2t = 1.0 - Math.Pow(StepCount, options.DecayRate);
        for (int i = 0; i < Parameters.Count; i++)
        {
            using var scope = NewDisposeScope();
            Tensor p = Parameters[i].Parameter;
            Tensor? grad = p.grad;
            if (grad is null)
            {
                continue;
            }

            grad = grad.dtype == ScalarType.Float32 ? grad : grad.to(ScalarType.Float32);
            if (gradScale != 1.0)
            {
                grad = grad * gradScale;
            }

            Tensor pFp32 = p.dtype == ScalarType.Float32 ? p : p.to(ScalarType.Float32);
            // lr * max(eps2, RMS(p)), an fp32 0-dim value in the reference.
            Tensor paramRms = Rms(pFp32);
            Tensor stepLr = options.ScaleParameter ? paramRms.clamp_min(options.Eps2) * lr : tensor((float)lr);

            Tensor update = grad.square() + options.Eps1;
            if (row.Has(i))
            {
                row[i].mul_(beta2t).add_(update.mean([-1]), alpha: 1.0 - beta2t);
                column[i].mul_(beta2t).add_(update.mean([-2]), alpha: 1.0 - beta2t);
                Tensor rowFactor = (row[i] / row[i].mean([-1], keepdim: true)).rsqrt_().unsqueeze(-1);
                Tensor columnFactor = column[i].unsqueeze(-2).rsqrt();
                update = (rowFactor * columnFactor).mul_(grad);
            }
            else
            {
                full[i].mul_(beta2t).add_(update, alpha: 1.0 - beta2t);
                update = full[i].rsqrt().mul_(grad);
            }

            update.div_((Rms(update) / options.ClipThreshold).clamp_(min: 1.0));
            update.mul_(stepLr);
            if (Parameters[i].WeightDecay != 0)
            {
                pFp32.add_(pFp32, alpha: -Parameters[i].WeightDecay * stepLr.item<float>());
            }

            pFp32.sub_(update);
            if (!ReferenceEquals(pFp32, p))
            {
                p.copy_(pFp32);
            }
        }
    }

    private static bool IsFactored(OptimizedParameter p) => p.Parameter.dim() >= 2;

    private static Tensor Rms(Tensor t) => linalg.vector_norm(t) / (float)Math.Sqrt(t.NumberOfElements);

    /// <inheritdoc />
    public IReadOnlyList<(string Name, Tensor Tensor)> StateTensors() => row.Named().Concat(column.Named()).Concat(full.Named()).ToList();

    /// <inheritdoc />
    public void LoadState(IReadOnlyDictionary<string, Tensor> tensors, long stepCount, string source)
    {
        row.Load(tensors, source);
        column.Load(tensors, source);
        full.Load(tensors, source);
        StepCount = stepCount;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        row.Dispose();
        column.Dispose();
        full.Dispose();
    }
}
