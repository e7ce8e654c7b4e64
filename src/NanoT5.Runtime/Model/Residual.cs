// Dropout on residual branches, shared by the three T5 sublayers.
using static TorchSharp.torch;

namespace NanoT5.Model;

/// <summary>Dropout on a residual branch, skipped entirely when it is a no-op.</summary>
internal static class Residual
{
    public static Tensor Dropout(Tensor branch, double p, bool training) =>
        p > 0 && training ? nn.functional.dropout(branch, p, training) : branch;
}
