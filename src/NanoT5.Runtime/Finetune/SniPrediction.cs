// One prediction of the fine-tuned model with everything the predictions file and the RougeL report need.
using NanoT5.Data;

namespace NanoT5.Finetune;

/// <summary>
/// A prediction for one instance: <see cref="References"/> are all its outputs (the SNI metric takes the best),
/// <see cref="LabelReference"/> the one nanoT5 scores against (the drawn label, decoded).
/// </summary>
public sealed record SniPrediction(
    string Task, string Category, string InstanceId, string Prediction, IReadOnlyList<string> References, string LabelReference)
{
    /// <summary>
    /// Predictions of a batch from the generated ids of each row (decoder start token and anything after the first
    /// eos may be included; they are skipped), decoded as nanoT5 does.
    /// </summary>
    public static IReadOnlyList<SniPrediction> FromBatch(SniBatch batch, IReadOnlyList<IReadOnlyList<int>> generated, ITextTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(generated);
        if (generated.Count != batch.Count)
        {
            throw new ArgumentException($"Expected {batch.Count} generated rows, got {generated.Count}.", nameof(generated));
        }

        return batch.Rows.Select((row, i) => new SniPrediction(
            row.Task, row.Category, row.InstanceId, SniPredictionText.Decode(tokenizer, generated[i]), row.References, batch.LabelReferences[i])).ToArray();
    }
}
