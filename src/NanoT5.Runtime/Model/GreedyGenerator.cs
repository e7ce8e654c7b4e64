// Greedy decoding for evaluation, as nanoT5's MyT5.generate: start with the decoder start id, append
// the arg-max token, stop when every row has produced eos or after max length; everything after a
// row's first eos becomes pad. With the cache each step runs the decoder on the newest token only.
using static TorchSharp.torch;

namespace NanoT5.Model;

/// <summary>Greedy generation with or without an incremental key/value cache.</summary>
public static class GreedyGenerator
{
    /// <summary>
    /// Generated ids (B, T) starting with the decoder start token, T &lt;= maxNewTokens + 1.
    /// The result ends with eos in every row that produced one; positions after a row's eos are pad.
    /// </summary>
    public static Tensor Generate(T5ForConditionalGeneration model, Tensor inputIds, Tensor attentionMask, int maxNewTokens, bool useCache = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxNewTokens);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        bool wasTraining = model.training;
        model.eval();
        try
        {
            T5Config config = model.Config;
            long batch = inputIds.shape[0];
            Tensor encoded = model.Encode(inputIds, attentionMask);
            Tensor tokens = full([batch, 1], config.DecoderStartTokenId, dtype: ScalarType.Int64, device: inputIds.device);
            Tensor finished = zeros([batch], dtype: ScalarType.Bool, device: inputIds.device);
            var caches = useCache ? model.Decoder.Blocks.Select(_ => new BlockCache()).ToList() : null;
            try
            {
                for (int step = 0; step < maxNewTokens; step++)
                {
                    using var stepScope = NewDisposeScope();
                    Tensor logits = caches is null
                        ? model.Decode(tokens, encoded, attentionMask)
                        : model.DecodeStep(tokens[.., ^1..], encoded, attentionMask, caches);
                    Tensor next = logits[.., -1].argmax(-1); // (B)
                    // Rows that already ended keep emitting pad.
                    next = where(finished, full_like(next, config.PadTokenId), next);
                    finished = (finished | (next == config.EosTokenId)).MoveToOuterDisposeScope();
                    tokens = cat([tokens, next.unsqueeze(1)], 1).MoveToOuterDisposeScope();
                    if (finished.all().item<bool>())
                    {
                        break;
                    }
                }
            }
            finally
            {
                caches?.ForEach(c => c.Dispose());
            }

            return tokens.MoveToOuterDisposeScope();
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
