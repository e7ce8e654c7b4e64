// Rejects architectures this model cannot build, naming the source and the field.
namespace NanoT5.Model;

/// <summary>Checks a <see cref="T5Config"/>; every message names where the config came from and the HF field.</summary>
public static class T5ConfigValidation
{
    /// <summary>All problems found, as "field: message" lines (empty when valid).</summary>
    public static IReadOnlyList<string> Problems(T5Config config)
    {
        var problems = new List<string>();
        void Positive(string field, int value)
        {
            if (value <= 0)
            {
                problems.Add($"{field}: must be a positive integer (got {value})");
            }
        }

        Positive("vocab_size", config.VocabSize);
        Positive("d_model", config.DModel);
        Positive("d_kv", config.DKv);
        Positive("d_ff", config.DFf);
        Positive("num_layers", config.NumLayers);
        Positive("num_decoder_layers", config.DecoderLayers);
        Positive("num_heads", config.NumHeads);
        Positive("relative_attention_num_buckets", config.RelativeAttentionNumBuckets);
        Positive("relative_attention_max_distance", config.RelativeAttentionMaxDistance);
        if (config.RelativeAttentionNumBuckets < 4)
        {
            problems.Add($"relative_attention_num_buckets: needs at least 4 buckets (got {config.RelativeAttentionNumBuckets})");
        }

        if (config.DropoutRate is < 0 or >= 1 || double.IsNaN(config.DropoutRate))
        {
            problems.Add($"dropout_rate: must be in [0, 1) (got {config.DropoutRate})");
        }

        if (!(config.LayerNormEpsilon > 0))
        {
            problems.Add($"layer_norm_epsilon: must be positive (got {config.LayerNormEpsilon})");
        }

        if (!(config.InitializerFactor > 0))
        {
            problems.Add($"initializer_factor: must be positive (got {config.InitializerFactor})");
        }

        if (config.FeedForwardProj != "gated-gelu")
        {
            problems.Add($"feed_forward_proj: only \"gated-gelu\" (T5 v1.1) is supported (got \"{config.FeedForwardProj}\"; \"relu\" is the original T5, which this project does not implement)");
        }

        if (config.TieWordEmbeddings)
        {
            problems.Add("tie_word_embeddings: must be false for T5 v1.1 (untied lm_head without output rescaling)");
        }

        foreach (var (field, id) in new[] { ("pad_token_id", config.PadTokenId), ("eos_token_id", config.EosTokenId), ("decoder_start_token_id", config.DecoderStartTokenId) })
        {
            if (id < 0 || id >= config.VocabSize)
            {
                problems.Add($"{field}: must be a token id in [0, vocab_size) (got {id})");
            }
        }

        return problems;
    }

    /// <summary>Throws <see cref="InvalidDataException"/> listing every problem, prefixed by <paramref name="source"/>.</summary>
    public static void ThrowIfInvalid(T5Config config, string source)
    {
        IReadOnlyList<string> problems = Problems(config);
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{source}: invalid T5 config:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems));
        }
    }
}
