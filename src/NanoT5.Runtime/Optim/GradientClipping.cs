// Global L2 gradient clipping, as torch.nn.utils.clip_grad_norm_ (which nanoT5's accelerator calls).
using static TorchSharp.torch;

namespace NanoT5.Optim;

/// <summary>Gradient norm and clipping over a set of parameters.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Global L2 norm of all gradients (the norm of the per-tensor norms, as PyTorch computes it).
    /// Parameters without a gradient are skipped.
    /// </summary>
    public static double GlobalNorm(IEnumerable<Tensor> parameters)
    {
        using var scope = NewDisposeScope();
        var norms = parameters.Where(p => p.grad is not null).Select(p => linalg.vector_norm(p.grad!)).ToArray();
        return norms.Length == 0 ? 0 : linalg.vector_norm(stack(norms)).item<float>();
    }

    /// <summary>
    /// Scales gradients in place by min(1, maxNorm / (norm + 1e-6)) and returns the norm before clipping.
    /// A non-positive <paramref name="maxNorm"/> disables clipping (the norm is still returned).
    /// </summary>
    public static double ClipGlobalNorm(IEnumerable<Tensor> parameters, double maxNorm)
    {
        var list = parameters.Where(p => p.grad is not null).ToList();
        double norm = GlobalNorm(list);
        if (maxNorm > 0)
        {
            double coefficient = ClipCoefficient(norm, maxNorm);
            if (coefficient < 1)
            {
                using var noGrad = no_grad();
                foreach (Tensor p in list)
                {
                    p.grad!.mul_(coefficient);
                }
            }
        }

        return norm;
    }

    /// <summary>min(1, maxNorm / (norm + 1e-6)): PyTorch's clip coefficient.</summary>
    public static double ClipCoefficient(double norm, double maxNorm) => Math.Min(1.0, maxNorm / (norm + 1e-6));
}
