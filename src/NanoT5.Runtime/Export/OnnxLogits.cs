// Logits of given decoder inputs from an exported model (teacher forcing): the encoder, then decoder.onnx over every
// decoder position at once. What an export is checked with.
using Microsoft.ML.OnnxRuntime;

namespace NanoT5.Export;

/// <summary>Scores fixed decoder inputs with an exported model.</summary>
public static class OnnxLogits
{
    /// <summary>Logits (B, T, V) flattened for input ids and mask (B, S) and decoder input ids (B, T), row-major.</summary>
    public static float[] Teacher(OnnxT5Model model, long[] inputIds, long[] attentionMask, long[] decoderInputIds, int batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var runOptions = new RunOptions();
        using OrtValue ids = OrtValue.CreateTensorValueFromMemory(inputIds, [batch, inputIds.Length / batch]);
        using OrtValue mask = OrtValue.CreateTensorValueFromMemory(attentionMask, [batch, attentionMask.Length / batch]);
        using OrtValue decoderIds = OrtValue.CreateTensorValueFromMemory(decoderInputIds, [batch, decoderInputIds.Length / batch]);
        using var encoded = model.Encoder.Run(runOptions, [OnnxNames.InputIds, OnnxNames.AttentionMask], [ids, mask], [OnnxNames.LastHiddenState]);
        using var decoded = model.Decoder.Run(runOptions, [OnnxNames.InputIds, OnnxNames.EncoderAttentionMask, OnnxNames.EncoderHiddenStates], [decoderIds, mask, encoded[0]], [OnnxNames.Logits]);
        return decoded[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
