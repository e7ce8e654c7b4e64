// The predictions file of a fine-tuned model: one JSON object per instance, in the shape the `rouge` verb
// reads ({"prediction", "references"} plus task, category, id and nanoT5's label reference).
using NanoT5.IO;

namespace NanoT5.Finetune;

/// <summary>Writes predictions as JSON lines.</summary>
public static class SniPredictionFile
{
    /// <summary>Writes <paramref name="predictions"/> to <paramref name="path"/> atomically, one line each.</summary>
    public static void Write(string path, IEnumerable<SniPrediction> predictions) =>
        JsonLinesFile.Write(path, predictions, (json, p) =>
        {
            json.WriteString("task", p.Task);
            json.WriteString("category", p.Category);
            json.WriteString("id", p.InstanceId);
            json.WriteString("prediction", p.Prediction);
            json.WriteStartArray("references");
            foreach (string reference in p.References)
            {
                json.WriteStringValue(reference);
            }

            json.WriteEndArray();
            json.WriteString("label_reference", p.LabelReference);
        });
}
