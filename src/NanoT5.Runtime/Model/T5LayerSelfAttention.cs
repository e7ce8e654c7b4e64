// Ports HuggingFace's T5LayerSelfAttention (pre-norm self-attention sublayer).
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace NanoT5.Model;

/// <summary>x + Attention(norm(x)); keys: <c>SelfAttention</c>, <c>layer_norm</c>.</summary>
public sealed class T5LayerSelfAttention : nn.Module
{
    [ComponentName(Name = "SelfAttention")] private readonly T5Attention selfAttention;
    [ComponentName(Name = "layer_norm")] private readonly T5LayerNorm layerNorm;
    private readonly double dropout;

    public T5LayerSelfAttention(T5Config config, bool isDecoder, bool hasRelativeAttentionBias)
        : base(nameof(T5LayerSelfAttention))
    {
        selfAttention = new T5Attention(config, isDecoder, hasRelativeAttentionBias);
        layerNorm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        dropout = config.DropoutRate;
        RegisterComponents();
    }

    /// <summary>The attention module (layer 0's holds the stack's relative position bias).</summary>
    public T5Attention SelfAttention => selfAttention;

    internal T5LayerNorm LayerNorm => layerNorm;

    public Tensor forward(Tensor hidden, Tensor bias, AttentionCache? cache)
    {
        using var scope = NewDisposeScope();
        Tensor attended = selfAttention.forward(layerNorm.forward(hidden), null, bias, cache);
        return (hidden + Residual.Dropout(attended, dropout, training)).MoveToOuterDisposeScope();
    }
}
