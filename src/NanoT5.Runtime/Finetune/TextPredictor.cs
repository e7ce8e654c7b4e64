// Greedy answers for free-text inputs (`predict --input`): the inputs encoded as SNI sources are (truncated to
// max_source_length with eos, padded to a multiple of 8), generated in batches by the same GreedyGenerator with the
// same max_target_length stop, and decoded as TextPrediction says.
using NanoT5.Data;
using NanoT5.IO;
using NanoT5.Model;
using static TorchSharp.torch;

namespace NanoT5.Finetune;

/// <summary>Predictions of a model for text inputs.</summary>
public static class TextPredictor
{
    /// <summary>
    /// Greedy predictions (at most <paramref name="maxNewTokens"/> tokens each) for <paramref name="inputs"/>, in
    /// order, <paramref name="batchSize"/> at a time on the model's device; <paramref name="onPrediction"/> hears each as it is made.
    /// </summary>
    public static IReadOnlyList<TextPrediction> Predict(
        T5ForConditionalGeneration model, IReadOnlyList<string> inputs, ITextTokenizer tokenizer, int maxSourceLength, int maxNewTokens, int batchSize,
        ScalarType? autocastDtype = null, Action<TextPrediction>? onPrediction = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var predictions = new List<TextPrediction>(inputs.Count);
        foreach (string[] chunk in inputs.Chunk(batchSize))
        {
            int[][] rows = chunk.Select(input => TextPrediction.InputIds(input, tokenizer, maxSourceLength)).ToArray();
            int[][] generated = Generate(model, rows, maxNewTokens, autocastDtype);
            for (int i = 0; i < chunk.Length; i++)
            {
                TextPrediction prediction = TextPrediction.FromIds(chunk[i], generated[i], tokenizer);
                predictions.Add(prediction);
                onPrediction?.Invoke(prediction);
            }
        }

        return predictions;
    }

    /// <summary>Writes <paramref name="predictions"/> to <paramref name="path"/> atomically: {"input", "prediction"} per line, plus "filled" for span filling.</summary>
    public static void WriteFile(string path, IEnumerable<TextPrediction> predictions) =>
        JsonLinesFile.Write(path, predictions, (json, p) =>
        {
            json.WriteString("input", p.Input);
            json.WriteString("prediction", p.Prediction);
            if (p.Filled is not null)
            {
                json.WriteString("filled", p.Filled);
            }
        });

    private static int[][] Generate(T5ForConditionalGeneration model, int[][] rows, int maxNewTokens, ScalarType? autocastDtype)
    {
        using Tensor inputIds = SniCollator.Padded(rows, model.Config.PadTokenId, out long[] mask);
        using Tensor attentionMask = tensor(mask, [rows.Length, mask.Length / rows.Length], ScalarType.Int64);
        return SniPredictor.Generate(model, inputIds, attentionMask, maxNewTokens, autocastDtype);
    }
}
