// Ports nanoT5's MyT5 / HuggingFace T5ForConditionalGeneration for T5 v1.1: shared embedding,
// encoder and decoder stacks, untied lm_head without output rescaling, HF's weight init.
using TorchSharp.Utils;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NanoT5.Model;

/// <summary>
/// T5 v1.1 encoder-decoder. Parameter names are HuggingFace's (<c>shared.weight</c>,
/// <c>encoder.block.0.layer.0.SelfAttention.q.weight</c>, ..., <c>lm_head.weight</c>), so a
/// state dict moves between PyTorch and .NET unchanged.
/// </summary>
public sealed class T5ForConditionalGeneration : nn.Module
{
    /// <summary>Label value that the loss ignores.</summary>
    public const long IgnoreIndex = -100;

    [ComponentName(Name = "shared")] private readonly Embedding shared;
    [ComponentName(Name = "encoder")] private readonly T5Stack encoder;
    [ComponentName(Name = "decoder")] private readonly T5Stack decoder;
    [ComponentName(Name = "lm_head")] private readonly Linear lmHead;

    public T5ForConditionalGeneration(T5Config config)
        : base(nameof(T5ForConditionalGeneration))
    {
        T5ConfigValidation.ThrowIfInvalid(config, "the model config");
        Config = config;
        shared = nn.Embedding(config.VocabSize, config.DModel);
        encoder = new T5Stack(config, isDecoder: false);
        decoder = new T5Stack(config, isDecoder: true);
        lmHead = nn.Linear(config.DModel, config.VocabSize, hasBias: false);
        RegisterComponents();
    }

    /// <summary>The architecture this model was built from.</summary>
    public T5Config Config { get; }

    /// <summary>The token embedding shared by both stacks.</summary>
    public Embedding Shared => shared;

    /// <summary>The encoder stack.</summary>
    public T5Stack Encoder => encoder;

    /// <summary>The decoder stack.</summary>
    public T5Stack Decoder => decoder;

    /// <summary>The output projection to vocabulary logits.</summary>
    public Linear LmHead => lmHead;

    /// <summary>The device of the parameters.</summary>
    public Device Device => shared.weight!.device;

    /// <summary>
    /// Re-initialises every parameter as nanoT5's MyT5._init_weights does, in the same order
    /// (post-order module traversal: every attention, norm and feed-forward, then shared and lm_head),
    /// so a seeded init reproduces the reference's weights.
    /// </summary>
    public void InitializeWeights()
    {
        using var noGrad = no_grad();
        double factor = Config.InitializerFactor;
        int dModel = Config.DModel;
        foreach (T5Stack stack in new[] { encoder, decoder })
        {
            foreach (T5Block block in stack.Blocks)
            {
                InitAttention(block.SelfAttentionLayer.SelfAttention, factor);
                block.SelfAttentionLayer.LayerNorm.weight.fill_(factor);
                if (stack.IsDecoder)
                {
                    InitAttention(block.CrossAttentionLayer.EncDecAttention, factor);
                    block.CrossAttentionLayer.LayerNorm.weight.fill_(factor);
                }

                T5DenseGatedActDense ff = block.FeedForwardLayer.DenseReluDense;
                ff.Wi0.weight.normal_(0, factor * Math.Pow(dModel, -0.5));
                ff.Wi1.weight.normal_(0, factor * Math.Pow(dModel, -0.5));
                ff.Wo.weight.normal_(0, factor * Math.Pow(Config.DFf, -0.5));
                block.FeedForwardLayer.LayerNorm.weight.fill_(factor);
            }

            stack.FinalLayerNorm.weight.fill_(factor);
        }

        shared.weight!.normal_(0, factor);
        lmHead.weight.normal_(0, factor);
    }

    private void InitAttention(T5Attention attention, double factor)
    {
        int dModel = Config.DModel;
        attention.Q.weight.normal_(0, factor * Math.Pow((double)dModel * Config.DKv, -0.5));
        attention.K.weight.normal_(0, factor * Math.Pow(dModel, -0.5));
        attention.V.weight.normal_(0, factor * Math.Pow(dModel, -0.5));
        attention.O.weight.normal_(0, factor * Math.Pow(Config.InnerDim, -0.5));
        attention.RelativeAttentionBias?.weight!.normal_(0, factor * Math.Pow(dModel, -0.5));
    }

    /// <summary>Encoder output after its final norm: (B, S, D). attentionMask: (B, S), 1 = token, 0 = pad.</summary>
    public Tensor Encode(Tensor inputIds, Tensor attentionMask) => EncodeEmbeddings(shared.call(inputIds), attentionMask);

    /// <summary>Logits (B, T, V) for decoder inputs (B, T) over an encoder output.</summary>
    public Tensor Decode(Tensor decoderInputIds, Tensor encoderHidden, Tensor attentionMask) =>
        DecodeEmbeddings(shared.call(decoderInputIds), encoderHidden, attentionMask);

    private Tensor EncodeEmbeddings(Tensor embeddings, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        long length = embeddings.shape[1];
        Tensor bias = encoder.ComputePositionBias(length, length) + PaddingMask(attentionMask); // (B, H, S, S)
        return encoder.forward(embeddings, bias).MoveToOuterDisposeScope();
    }

    private Tensor DecodeEmbeddings(Tensor embeddings, Tensor encoderHidden, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        long length = embeddings.shape[1];
        Tensor selfBias = decoder.ComputePositionBias(length, length) + CausalMask(length); // (1, H, T, T)
        Tensor hidden = decoder.forward(embeddings, selfBias, encoderHidden, PaddingMask(attentionMask));
        return Autocast.Linear(hidden, lmHead.weight).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One incremental decoding step: logits (B, 1, V) for the newest decoder token (B, 1),
    /// reusing and extending <paramref name="caches"/> (one per decoder block).
    /// </summary>
    public Tensor DecodeStep(Tensor lastTokens, Tensor encoderHidden, Tensor attentionMask, IReadOnlyList<BlockCache> caches)
    {
        using var scope = NewDisposeScope();
        long position = caches[0].Self.Length;
        // Query at `position` attends to keys 0..position: causal by construction, no mask needed.
        Tensor selfBias = decoder.ComputePositionBias(1, position + 1, queryOffset: position); // (1, H, 1, T+1)
        Tensor hidden = decoder.forward(shared.call(lastTokens), selfBias, encoderHidden, PaddingMask(attentionMask), caches);
        return Autocast.Linear(hidden, lmHead.weight).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Forward pass with labels (B, T): decoder input = labels shifted right; loss = mean cross-entropy
    /// over labels != -100. Returns the loss (scalar) and the logits (B, T, V).
    /// </summary>
    public Seq2SeqOutput forward(Tensor inputIds, Tensor attentionMask, Tensor labels)
    {
        using var scope = NewDisposeScope();
        // One embedding lookup for encoder and decoder tokens: its backward builds one dense gradient of
        // `shared` instead of two that are then summed (a few ms per step at T5's vocabulary size).
        Tensor decoderInputIds = ShiftRight(labels);
        long batch = inputIds.shape[0], sourceLength = inputIds.shape[1], targetLength = decoderInputIds.shape[1];
        Tensor embedded = shared.call(cat([inputIds.reshape(-1), decoderInputIds.reshape(-1)])); // (B*S + B*T, D)
        Tensor[] parts = embedded.split([batch * sourceLength, batch * targetLength]);
        Tensor encoded = EncodeEmbeddings(parts[0].view(batch, sourceLength, -1), attentionMask);
        Tensor logits = DecodeEmbeddings(parts[1].view(batch, targetLength, -1), encoded, attentionMask);
        Tensor loss = Loss(logits, labels);
        return new Seq2SeqOutput(loss.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }

    /// <summary>Mean token cross-entropy in fp32, ignoring -100 labels.</summary>
    public static Tensor Loss(Tensor logits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        Tensor flat = logits.reshape(-1, logits.shape[^1]);
        if (flat.dtype != ScalarType.Float32)
        {
            flat = flat.to(ScalarType.Float32);
        }

        return nn.functional.cross_entropy(flat, labels.reshape(-1), ignore_index: IgnoreIndex).MoveToOuterDisposeScope();
    }

    /// <summary>Decoder inputs from labels: start token first, labels shifted right, -100 replaced by pad.</summary>
    public Tensor ShiftRight(Tensor labels)
    {
        using var scope = NewDisposeScope();
        Tensor start = full([labels.shape[0], 1], Config.DecoderStartTokenId, dtype: labels.dtype, device: labels.device);
        Tensor shifted = cat([start, labels[.., ..^1]], 1);
        return shifted.masked_fill(shifted == IgnoreIndex, Config.PadTokenId).MoveToOuterDisposeScope();
    }

    /// <summary>Additive mask (B, 1, 1, S): 0 for tokens, the dtype's minimum for padding (HF's value).</summary>
    public Tensor PaddingMask(Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        ScalarType dtype = ComputeDtype;
        Tensor blocked = (1 - attentionMask.to(dtype)) * MinValue(dtype);
        return blocked.unsqueeze(1).unsqueeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>Additive causal mask (1, 1, T, T).</summary>
    public Tensor CausalMask(long length)
    {
        using var scope = NewDisposeScope();
        ScalarType dtype = ComputeDtype;
        Tensor allowed = ones(length, length, dtype: dtype, device: Device).tril();
        return ((1 - allowed) * MinValue(dtype)).unsqueeze(0).unsqueeze(0).MoveToOuterDisposeScope();
    }

    /// <summary>The dtype of activations (the parameters' dtype).</summary>
    public ScalarType ComputeDtype => shared.weight!.dtype;

    private static double MinValue(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => float.MinValue,
        ScalarType.BFloat16 => -3.3895313892515355e38,
        ScalarType.Float16 => -65504.0,
        ScalarType.Float64 => double.MinValue,
        _ => throw new NotSupportedException($"No additive mask value for dtype {dtype}."),
    };
}
