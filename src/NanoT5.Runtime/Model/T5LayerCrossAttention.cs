// Ports HuggingFace's T5LayerCrossAttention (pre-norm encoder-decoder attention sublayer).
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace NanoT5.Model;

/// <summary>x + CrossAttention(norm(x), encoder states); keys: <c>EncDecAttention</c>, <c>layer_norm</c>.</summary>
public sealed class T5LayerCrossAttention : nn.Module
{
    [ComponentName(Name = "EncDecAttention")] private readonly T5Attention encDecAttention;
    [ComponentName(Name = "layer_norm")] private readonly T5LayerNorm layerNorm;
    private readonly double dropout;

    public T5LayerCrossAttention(T5Config config)
        : base(nameof(T5LayerCrossAttention))
    {
        encDecAttention = new T5Attention(config, isDecoder: true, hasRelativeAttentionBias: false);
        layerNorm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        dropout = config.DropoutRate;
        RegisterComponents();
    }

    internal T5Attention EncDecAttention => encDecAttention;

    internal T5LayerNorm LayerNorm => layerNorm;

    public Tensor forward(Tensor hidden, Tensor encoderHidden, Tensor encoderMask, AttentionCache? cache)
    {
        using var scope = NewDisposeScope();
        Tensor attended = encDecAttention.forward(layerNorm.forward(hidden), encoderHidden, encoderMask, cache);
        return (hidden + Residual.Dropout(attended, dropout, training)).MoveToOuterDisposeScope();
    }
}
