// The architecture of a T5 v1.1 model: the fields of HuggingFace's T5Config that this model reads.
using System.Text.Json.Serialization;

namespace NanoT5.Model;

/// <summary>
/// T5 v1.1 architecture, with HuggingFace <c>config.json</c> field names so a config moves between
/// PyTorch and .NET unchanged. Immutable: derive variants with <c>with</c>.
/// </summary>
public sealed record T5Config
{
    /// <summary>Rows of the embedding and of lm_head (tokenizer length padded up to a multiple of 128).</summary>
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 32128;

    /// <summary>Width of the residual stream.</summary>
    [JsonPropertyName("d_model")] public int DModel { get; init; } = 768;

    /// <summary>Width of one attention head (not d_model / heads in T5).</summary>
    [JsonPropertyName("d_kv")] public int DKv { get; init; } = 64;

    /// <summary>Inner width of the gated feed-forward layer.</summary>
    [JsonPropertyName("d_ff")] public int DFf { get; init; } = 2048;

    /// <summary>Encoder blocks.</summary>
    [JsonPropertyName("num_layers")] public int NumLayers { get; init; } = 12;

    /// <summary>Decoder blocks (HF defaults it to num_layers when absent).</summary>
    [JsonPropertyName("num_decoder_layers")] public int? NumDecoderLayers { get; init; }

    /// <summary>Attention heads per layer.</summary>
    [JsonPropertyName("num_heads")] public int NumHeads { get; init; } = 12;

    /// <summary>Buckets of the learned relative position bias.</summary>
    [JsonPropertyName("relative_attention_num_buckets")] public int RelativeAttentionNumBuckets { get; init; } = 32;

    /// <summary>Distance beyond which all relative positions share a bucket.</summary>
    [JsonPropertyName("relative_attention_max_distance")] public int RelativeAttentionMaxDistance { get; init; } = 128;

    /// <summary>Dropout probability; nanoT5 pretrains with 0.0 and fine-tunes with HF's 0.1.</summary>
    [JsonPropertyName("dropout_rate")] public double DropoutRate { get; init; }

    /// <summary>RMSNorm epsilon.</summary>
    [JsonPropertyName("layer_norm_epsilon")] public double LayerNormEpsilon { get; init; } = 1e-6;

    /// <summary>Scales every init std (HF uses it for tests; 1.0 in practice).</summary>
    [JsonPropertyName("initializer_factor")] public double InitializerFactor { get; init; } = 1.0;

    /// <summary>Only "gated-gelu" (T5 v1.1) is supported.</summary>
    [JsonPropertyName("feed_forward_proj")] public string FeedForwardProj { get; init; } = "gated-gelu";

    /// <summary>Must be false: v1.1 has an untied lm_head without output rescaling.</summary>
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; }

    /// <summary>Padding id (also the decoder start id in T5).</summary>
    [JsonPropertyName("pad_token_id")] public int PadTokenId { get; init; }

    /// <summary>End-of-sequence id.</summary>
    [JsonPropertyName("eos_token_id")] public int EosTokenId { get; init; } = 1;

    /// <summary>First decoder input.</summary>
    [JsonPropertyName("decoder_start_token_id")] public int DecoderStartTokenId { get; init; }

    /// <summary>How attention is computed (eager or fused SDPA); not an HF field, so never written to config.json.</summary>
    [JsonIgnore] public AttentionKind Attention { get; init; } = AttentionKind.Eager;

    /// <summary>Decoder depth after HF's defaulting.</summary>
    [JsonIgnore] public int DecoderLayers => NumDecoderLayers ?? NumLayers;

    /// <summary>Heads times head width: the width of q, k, v outputs.</summary>
    [JsonIgnore] public int InnerDim => NumHeads * DKv;
}
