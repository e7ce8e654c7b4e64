// Ports HuggingFace T5Block: self-attention, (decoder only) cross-attention, feed-forward.
using TorchSharp.Utils;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoT5.Model;

/// <summary>One T5 block; keys: <c>layer.0</c> (self-attention), <c>layer.1</c> (cross-attention or FF), <c>layer.2</c> (decoder FF).</summary>
public sealed class T5Block : nn.Module
{
    [ComponentName(Name = "layer")] private readonly ModuleList<nn.Module> layers;
    private readonly bool isDecoder;

    public T5Block(T5Config config, bool isDecoder, bool hasRelativeAttentionBias)
        : base(nameof(T5Block))
    {
        this.isDecoder = isDecoder;
        layers = new ModuleList<nn.Module>(new T5LayerSelfAttention(config, isDecoder, hasRelativeAttentionBias));
        if (isDecoder)
        {
            layers.Add(new T5LayerCrossAttention(config));
        }

        layers.Add(new T5LayerFF(config));
        RegisterComponents();
    }

    /// <summary>The self-attention sublayer.</summary>
    public T5LayerSelfAttention SelfAttentionLayer => (T5LayerSelfAttention)layers[0];

    /// <summary>The cross-attention sublayer (decoder blocks only).</summary>
    public T5LayerCrossAttention CrossAttentionLayer => isDecoder
        ? (T5LayerCrossAttention)layers[1]
        : throw new InvalidOperationException("Encoder blocks have no cross-attention.");

    /// <summary>The feed-forward sublayer.</summary>
    public T5LayerFF FeedForwardLayer => (T5LayerFF)layers[^1];

    /// <summary>hidden: (B, T, D); selfBias: position bias + mask; encoder arguments for decoder blocks only.</summary>
    public Tensor forward(Tensor hidden, Tensor selfBias, Tensor? encoderHidden, Tensor? encoderMask, BlockCache? cache)
    {
        using var scope = NewDisposeScope();
        hidden = SelfAttentionLayer.forward(hidden, selfBias, cache?.Self);
        if (isDecoder)
        {
            if (encoderHidden is null || encoderMask is null)
            {
                throw new ArgumentException("Decoder blocks need the encoder output and its mask.");
            }

            hidden = CrossAttentionLayer.forward(hidden, encoderHidden, encoderMask, cache?.Cross);
        }

        return FeedForwardLayer.forward(hidden).MoveToOuterDisposeScope();
    }
}
