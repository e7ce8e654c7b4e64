// Ports HuggingFace T5LayerNorm: RMSNorm without mean subtraction or bias, variance in fp32.
using TorchSharp.Utils;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoT5.Model;

/// <summary>Root-mean-square layer norm; keys: <c>weight</c>.</summary>
public sealed class T5LayerNorm : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")] private readonly Parameter scale;
    private readonly double eps;

    public T5LayerNorm(long hiddenSize, double eps)
        : base(nameof(T5LayerNorm))
    {
        this.eps = eps;
        scale = nn.Parameter(ones(hiddenSize));
        RegisterComponents();
    }

    /// <summary>The per-channel scale, initialised to 1.</summary>
    public Parameter weight => scale;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        // Variance in fp32 even under bf16, as HF does; the result takes the weight's dtype.
        Tensor x = input.dtype == ScalarType.Float32 ? input : input.to(ScalarType.Float32);
        Tensor variance = x.square().mean([-1], keepdim: true); // (..., 1)
        Tensor normed = x * (variance + eps).rsqrt_();
        if (weight.dtype != ScalarType.Float32)
        {
            normed = normed.to(weight.dtype);
        }

        return (weight * normed).MoveToOuterDisposeScope();
    }
}
