// What the training loop needs from an optimizer: one update per step and a state that a checkpoint
// can save and restore bit-exactly.
using static TorchSharp.torch;

namespace NanoT5.Optim;

/// <summary>An optimizer over a fixed list of named parameters.</summary>
public interface IOptimizer : IDisposable
{
    /// <summary>Updates taken so far (the bias-correction / decay step counter).</summary>
    long StepCount { get; }

    /// <summary>The parameters, in the order the state refers to them.</summary>
    IReadOnlyList<OptimizedParameter> Parameters { get; }

    /// <summary>
    /// Applies one update with learning rate <paramref name="lr"/> using the current gradients,
    /// first scaled by <paramref name="gradScale"/> (the clipping coefficient; 1 = unscaled).
    /// Parameters without a gradient are skipped, as in PyTorch.
    /// </summary>
    void Step(double lr, double gradScale = 1.0);

    /// <summary>Every state tensor by a stable name ("exp_avg/encoder.block.0...").</summary>
    IReadOnlyList<(string Name, Tensor Tensor)> StateTensors();

    /// <summary>Restores state saved by <see cref="StateTensors"/>; names and shapes must match.</summary>
    void LoadState(IReadOnlyDictionary<string, Tensor> tensors, long stepCount, string source);
}
