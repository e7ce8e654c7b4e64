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
    public static double GlobalNorm(IEnumerable<Tensor> parameters) => ClipGlobalNorm(parameters, maxNorm: 0);

    /// <summary>
    /// Scales gradients in place by min(1, maxNorm / (norm + 1e-6)) and returns the norm before clipping.
    /// A non-positive <paramref name="maxNorm"/> disables clipping (the norm is still returned).
    /// </summary>
    public static double ClipGlobalNorm(IEnumerable<Tensor> parameters, double maxNorm)
    {
        // Every `.grad` access makes a new handle: the scope releases them, or the gradients would
        // stay alive until the garbage collector finalises the handles.
        using var scope = NewDisposeScope();
        var grads = parameters.Select(p => p.grad).OfType<Tensor>().ToList();
        double norm = grads.Count == 0 ? 0 : linalg.vector_norm(stack(grads.Select(g => linalg.vector_norm(g)))).item<float>();
        if (maxNorm > 0)
        {
            double coefficient = ClipCoefficient(norm, maxNorm);
            if (coefficient < 1)
            {
                using var noGrad = no_grad();
                foreach (Tensor grad in grads)
                {
                    grad.mul_(coefficient);
                }
            }
        }

        return norm;
    }

    /// <summary>min(1, maxNorm / (norm + 1e-6)): PyTorch's clip coefficient.</summary>
    public static double ClipCoefficient(double norm, double maxNorm) => Math.Min(1.0, maxNorm / (norm + 1e-6));
}
