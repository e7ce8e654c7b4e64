// Ports HuggingFace T5Stack (encoder or decoder): blocks, shared position bias, final RMSNorm.
using TorchSharp.Utils;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoT5.Model;

/// <summary>
/// A stack of T5 blocks; keys: <c>block.N</c>, <c>final_layer_norm</c>. The token embedding is the
/// model's <c>shared</c> module and is applied by the caller, so it is not listed twice.
/// </summary>
public sealed class T5Stack : nn.Module
{
    [ComponentName(Name = "block")] private readonly ModuleList<T5Block> blocks;
    [ComponentName(Name = "final_layer_norm")] private readonly T5LayerNorm finalLayerNorm;
    private readonly double dropout;
    private readonly bool isDecoder;
    private readonly AttentionKind attention;

    public T5Stack(T5Config config, bool isDecoder)
        : base(nameof(T5Stack))
    {
        this.isDecoder = isDecoder;
        attention = config.Attention;
        int depth = isDecoder ? config.DecoderLayers : config.NumLayers;
        blocks = new ModuleList<T5Block>();
        for (int i = 0; i < depth; i++)
        {
            // Only layer 0 learns the relative position bias; every layer reuses it.
            blocks.Add(new T5Block(config, isDecoder, hasRelativeAttentionBias: i == 0));
        }

        finalLayerNorm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        dropout = config.DropoutRate;
        RegisterComponents();
    }

    /// <summary>The blocks, in order.</summary>
    public IReadOnlyList<T5Block> Blocks => blocks.ToList();

    internal T5LayerNorm FinalLayerNorm => finalLayerNorm;

    /// <summary>Layer 0's learned position bias for this stack: (1, H, Tq, Tk).</summary>
    public Tensor ComputePositionBias(long queryLength, long keyLength, long queryOffset = 0) =>
        blocks[0].SelfAttentionLayer.SelfAttention.ComputeBias(queryLength, keyLength, queryOffset);

    /// <summary>embeddings: (B, T, D); selfBias: position bias + self-attention mask. Returns (B, T, D).</summary>
    public Tensor forward(Tensor embeddings, Tensor selfBias, Tensor? encoderHidden = null, Tensor? encoderMask = null, IReadOnlyList<BlockCache>? caches = null)
    {
        using var scope = NewDisposeScope();
        if (Autocast.ResidualDtype is ScalarType residualDtype && embeddings.dtype != residualDtype)
        {
            embeddings = embeddings.to(residualDtype);
        }

        if (attention == AttentionKind.Sdpa && Autocast.MatmulDtype is ScalarType maskDtype)
        {
            // The fused kernel takes its mask in q's dtype: cast the shared bias once here, not in every layer.
            selfBias = T5Attention.FusedMask(selfBias, maskDtype);
            encoderMask = encoderMask is null ? null : T5Attention.FusedMask(encoderMask, maskDtype);
        }

        Tensor hidden = Residual.Dropout(embeddings, dropout, training);
        for (int i = 0; i < blocks.Count; i++)
        {
            hidden = blocks[i].forward(hidden, selfBias, encoderHidden, encoderMask, caches?[i]);
        }

        hidden = finalLayerNorm.forward(hidden);
        return Residual.Dropout(hidden, dropout, training).MoveToOuterDisposeScope();
    }

    /// <summary>Whether this is the decoder stack.</summary>
    public bool IsDecoder => isDecoder;
}
