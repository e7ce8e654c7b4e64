// The generation half of nanoT5's predict(): greedy decoding of every row of the test batches up to
// max_target_length tokens, decoded as nanoT5 decodes them, ready for SniRougeL and the predictions file.
using NanoT5.Data;
using NanoT5.Model;
using static TorchSharp.torch;

namespace NanoT5.Finetune;

/// <summary>Predictions of a model for collated batches.</summary>
public static class SniPredictor
{
    /// <summary>
    /// Greedy predictions (at most <paramref name="maxNewTokens"/> tokens each) for every row of
    /// <paramref name="batches"/>, in order, on the model's device. <paramref name="onBatch"/> hears the count of
    /// batches done after each one.
    /// </summary>
    public static IReadOnlyList<SniPrediction> Predict(
        T5ForConditionalGeneration model, IEnumerable<SniBatch> batches, ITextTokenizer tokenizer, int maxNewTokens, ScalarType? autocastDtype = null, Action<int>? onBatch = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Predict(batch => Generate(model, batch, maxNewTokens, autocastDtype), batches, tokenizer, onBatch);
    }

    /// <summary>Predictions of any greedy generator (the ONNX Runtime one): <paramref name="generate"/> gives each row's ids.</summary>
    public static IReadOnlyList<SniPrediction> Predict(
        Func<SniBatch, IReadOnlyList<IReadOnlyList<int>>> generate, IEnumerable<SniBatch> batches, ITextTokenizer tokenizer, Action<int>? onBatch = null)
    {
        ArgumentNullException.ThrowIfNull(generate);
        ArgumentNullException.ThrowIfNull(batches);
        var predictions = new List<SniPrediction>();
        int done = 0;
        foreach (SniBatch batch in batches)
        {
            predictions.AddRange(SniPrediction.FromBatch(batch, generate(batch), tokenizer));
            onBatch?.Invoke(++done);
        }

        return predictions;
    }

    /// <summary>Greedy ids of every row of <paramref name="batch"/> (decoder start token first, pad after eos).</summary>
    public static int[][] Generate(T5ForConditionalGeneration model, SniBatch batch, int maxNewTokens, ScalarType? autocastDtype)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return Generate(model, batch.InputIds, batch.AttentionMask, maxNewTokens, autocastDtype);
    }

    /// <summary>Greedy ids of each row of the (B, T) CPU <paramref name="inputIds"/>, decoder start token first.</summary>
    internal static int[][] Generate(T5ForConditionalGeneration model, Tensor inputIds, Tensor attentionMask, int maxNewTokens, ScalarType? autocastDtype)
    {
        using var scope = NewDisposeScope();
        Tensor generated;
        using (Autocast.Enable(autocastDtype))
        {
            generated = GreedyGenerator.Generate(model, inputIds.to(model.Device), attentionMask.to(model.Device), maxNewTokens).cpu(); // (B, T)
        }

        int columns = (int)generated.shape[1];
        long[] ids = generated.data<long>().ToArray();
        return Enumerable.Range(0, (int)inputIds.shape[0]).Select(row => ids.Skip(row * columns).Take(columns).Select(id => (int)id).ToArray()).ToArray();
    }
}
