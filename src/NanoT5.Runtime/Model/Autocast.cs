// bf16 mixed precision in the style of PyTorch's autocast, which TorchSharp does not have: inside an
// Autocast scope, every matmul of the model (linear layers, attention scores and values, lm_head) runs
// in the scope's dtype, while parameters stay fp32 (master weights) and norms, softmax and the loss
// run in fp32. Casting the weights inside the forward makes autograd return fp32 gradients to them.
// With the residual stream in the scope's dtype too (nanoT5's is_bf16: its T5Stack casts the embeddings to
// bf16 under autocast), the sum the blocks add into stays bf16; norms still compute in fp32.
using static TorchSharp.torch;

namespace NanoT5.Model;

/// <summary>An ambient matmul dtype for the forward passes on this thread.</summary>
public sealed class Autocast : IDisposable
{
    [ThreadStatic]
    private static ScalarType? current;

    [ThreadStatic]
    private static ScalarType? residual;

    private readonly ScalarType? previous;
    private readonly ScalarType? previousResidual;

    private Autocast(ScalarType? dtype, bool residualStream)
    {
        previous = current;
        previousResidual = residual;
        current = dtype;
        residual = residualStream ? dtype : null;
    }

    /// <summary>The matmul dtype in effect, or null when matmuls run in the operands' dtype.</summary>
    public static ScalarType? MatmulDtype => current;

    /// <summary>The dtype of the residual stream (the embeddings the stacks start from), or null to keep the parameters' dtype.</summary>
    public static ScalarType? ResidualDtype => residual;

    /// <summary>Runs matmuls in <paramref name="dtype"/> until disposed (null: no autocast).</summary>
    public static Autocast Enable(ScalarType? dtype) => new(dtype, residualStream: false);

    /// <summary>As <see cref="Enable(ScalarType?)"/>, and when <paramref name="residualStream"/> the residual stream in that dtype too (nanoT5's is_bf16).</summary>
    public static Autocast Enable(ScalarType? dtype, bool residualStream) => new(dtype, residualStream);

    /// <summary>x @ weight^T in the autocast dtype.</summary>
    public static Tensor Linear(Tensor input, Tensor weight) =>
        current is ScalarType dtype
            ? nn.functional.linear(Cast(input, dtype), Cast(weight, dtype))
            : nn.functional.linear(input, weight);

    /// <summary>a @ b in the autocast dtype.</summary>
    public static Tensor Matmul(Tensor a, Tensor b) =>
        current is ScalarType dtype ? matmul(Cast(a, dtype), Cast(b, dtype)) : matmul(a, b);

    /// <summary><paramref name="t"/> in the autocast dtype (unchanged when autocast is off).</summary>
    public static Tensor Operand(Tensor t) => current is ScalarType dtype ? Cast(t, dtype) : t;

    /// <inheritdoc />
    public void Dispose()
    {
        current = previous;
        residual = previousResidual;
    }

    private static Tensor Cast(Tensor t, ScalarType dtype) => t.dtype == dtype ? t : t.to(dtype);
}
