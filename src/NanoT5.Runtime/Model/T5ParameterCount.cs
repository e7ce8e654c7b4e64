// The parameter count of a T5 v1.1 architecture from its config alone (no tensors: a preset's size can be told without
// allocating 11 billion floats). Untied embeddings (shared + lm_head), gated feed-forward, relative attention bias in
// the first block of each stack, RMS layer norms without bias, as T5ForConditionalGeneration builds them.
namespace NanoT5.Model;

/// <summary>How many parameters a <see cref="T5ForConditionalGeneration"/> of a config has.</summary>
public static class T5ParameterCount
{
    /// <summary>The count of <paramref name="config"/> (vocab_size included: shared.weight and lm_head.weight).</summary>
    public static long Of(T5Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        long d = config.DModel;
        long inner = (long)config.DKv * config.NumHeads;
        long attention = 4 * d * inner;                     // q, k, v: (inner, d); o: (d, inner)
        long feedForward = 3 * d * config.DFf;              // wi_0, wi_1: (d_ff, d); wo: (d, d_ff)
        long bias = (long)config.RelativeAttentionNumBuckets * config.NumHeads;
        long encoder = (config.NumLayers * (attention + feedForward + (2 * d))) + bias + d;
        long decoder = (config.DecoderLayers * ((2 * attention) + feedForward + (3 * d))) + bias + d;
        return (2L * config.VocabSize * d) + encoder + decoder;
    }
}
