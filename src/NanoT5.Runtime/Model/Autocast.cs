// bf16 mixed precision in the style of PyTorch's autocast, which TorchSharp does not have: inside an
// Autocast scope, every matmul of the model (linear layers, attention scores and values, lm_head) runs
// in the scope's dtype, while parameters stay fp32 (master weights) and norms, softmax and the loss
// run in fp32. Casting the weights inside the forward makes autograd return fp32 gradients to them.
using static TorchSharp.torch;

namespace NanoT5.Model;

/// <summary>An ambient matmul dtype for the forward passes on this thread.</summary>
public sealed class Autocast : IDisposable
{
    [ThreadStatic]
    private static ScalarType? current;

    private readonly ScalarType? previous;

    private Autocast(ScalarType? dtype)
    {
        previous = current;
        current = dtype;
    }

    /// <summary>The matmul dtype in effect, or null when matmuls run in the operands' dtype.</summary>
    public static ScalarType? MatmulDtype => current;

    /// <summary>Runs matmuls in <paramref name="dtype"/> until disposed (null: no autocast).</summary>
    public static Autocast Enable(ScalarType? dtype) => new(dtype);

    /// <summary>x @ weight^T in the autocast dtype.</summary>
    public static Tensor Linear(Tensor input, Tensor weight) =>
        current is ScalarType dtype
            ? nn.functional.linear(Cast(input, dtype), Cast(weight, dtype))
            : nn.functional.linear(input, weight);

    /// <summary>a @ b in the autocast dtype.</summary>
    public static Tensor Matmul(Tensor a, Tensor b) =>
        current is ScalarType dtype ? matmul(Cast(a, dtype), Cast(b, dtype)) : matmul(a, b);

    /// <inheritdoc />
    public void Dispose() => current = previous;

    private static Tensor Cast(Tensor t, ScalarType dtype) => t.dtype == dtype ? t : t.to(dtype);
}
