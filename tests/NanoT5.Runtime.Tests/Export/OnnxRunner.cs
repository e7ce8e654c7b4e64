// Runs the exported graphs on plain arrays, for comparing them with the TorchSharp model.
using Microsoft.ML.OnnxRuntime;
using NanoT5.Export;

namespace NanoT5.Tests.Export;

internal static class OnnxRunner
{
    /// <summary>last_hidden_state (B, S, D) flattened.</summary>
    public static float[] Encode(OnnxT5Model model, long[] ids, long[] mask, int batch)
    {
        using OrtValue idsValue = OrtValue.CreateTensorValueFromMemory(ids, [batch, ids.Length / batch]);
        using OrtValue maskValue = OrtValue.CreateTensorValueFromMemory(mask, [batch, ids.Length / batch]);
        using var outputs = model.Encoder.Run(new RunOptions(), [OnnxNames.InputIds, OnnxNames.AttentionMask], [idsValue, maskValue], [OnnxNames.LastHiddenState]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>
    /// Logits of every decoder position: the first <paramref name="firstTokens"/> through decoder.onnx, each later one
    /// through decoder_with_past.onnx with the cache. Returns (B, T, V) flattened.
    /// </summary>
    public static float[] Decode(OnnxT5Model model, long[] decoderIds, int batch, long[] encoderMask, float[] encoderHidden, int firstTokens)
    {
        int length = decoderIds.Length / batch, sourceLength = encoderMask.Length / batch;
        int width = encoderHidden.Length / encoderMask.Length;
        var logits = new List<float[]>();
        using OrtValue mask = OrtValue.CreateTensorValueFromMemory(encoderMask, [batch, sourceLength]);
        using OrtValue hidden = OrtValue.CreateTensorValueFromMemory(encoderHidden, [batch, sourceLength, width]);
        using OrtValue first = OrtValue.CreateTensorValueFromMemory(Columns(decoderIds, batch, 0, firstTokens), [batch, firstTokens]);
        using var start = model.Decoder.Run(new RunOptions(), [OnnxNames.InputIds, OnnxNames.EncoderAttentionMask, OnnxNames.EncoderHiddenStates], [first, mask, hidden], [.. model.Decoder.OutputNames]);
        logits.Add(start[0].GetTensorDataAsSpan<float>().ToArray());
        string[] startNames = [.. model.Decoder.OutputNames];
        string[] stepNames = [.. model.DecoderWithPast.OutputNames];
        IDisposableReadOnlyCollection<OrtValue>? previous = null;
        try
        {
            for (int t = firstTokens; t < length; t++)
            {
                var names = new List<string> { OnnxNames.InputIds, OnnxNames.EncoderAttentionMask };
                using OrtValue token = OrtValue.CreateTensorValueFromMemory(Columns(decoderIds, batch, t, 1), [batch, 1]);
                var values = new List<OrtValue> { token, mask };
                for (int layer = 0; layer < model.Manifest.DecoderLayers; layer++)
                {
                    foreach (string attention in new[] { "decoder", "encoder" })
                    {
                        foreach (string part in new[] { "key", "value" })
                        {
                            string present = OnnxNames.Present(layer, attention, part);
                            names.Add(OnnxNames.Past(layer, attention, part));
                            values.Add(attention == "decoder" && previous is not null ? previous[Array.IndexOf(stepNames, present)] : start[Array.IndexOf(startNames, present)]);
                        }
                    }
                }

                var outputs = model.DecoderWithPast.Run(new RunOptions(), names, values, stepNames);
                previous?.Dispose();
                previous = outputs;
                logits.Add(outputs[0].GetTensorDataAsSpan<float>().ToArray());
            }
        }
        finally
        {
            previous?.Dispose();
        }

        // Per call (B, t, V) -> (B, T, V).
        int vocab = model.Manifest.VocabSize;
        var result = new float[batch * length * vocab];
        int column = 0;
        foreach (float[] part in logits)
        {
            int columns = part.Length / (batch * vocab);
            for (int b = 0; b < batch; b++)
            {
                Array.Copy(part, b * columns * vocab, result, ((b * length) + column) * vocab, columns * vocab);
            }

            column += columns;
        }

        return result;
    }

    private static long[] Columns(long[] ids, int batch, int from, int count)
    {
        int length = ids.Length / batch;
        return Enumerable.Range(0, batch).SelectMany(b => ids.Skip((b * length) + from).Take(count)).ToArray();
    }
}
