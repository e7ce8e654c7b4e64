// Greedy decoding on ONNX Runtime with the same rules as Model/GreedyGenerator (nanoT5's MyT5.generate): start with
// the decoder start id, append the arg-max token (the first on a tie, as torch.argmax), rows that produced eos
// emit pad, stop when every row has ended or after max_new_tokens. The first step runs decoder.onnx, which also
// returns the cross-attention keys and values; later steps feed the newest token and the cache to
// decoder_with_past.onnx, keeping ONNX Runtime's output values as the next inputs without copying them.
using Microsoft.ML.OnnxRuntime;

namespace NanoT5.Export;

/// <summary>Greedy generation with an exported model.</summary>
public static class OnnxGreedyGenerator
{
    /// <summary>
    /// Generated ids per row, starting with the decoder start token, at most <paramref name="maxNewTokens"/> + 1 long;
    /// a row that produced eos ends with it and is padded after it like TorchSharp's result.
    /// <paramref name="inputIds"/> and <paramref name="attentionMask"/> are (B, S) row-major.
    /// </summary>
    public static long[][] Generate(OnnxT5Model model, long[] inputIds, long[] attentionMask, int batch, int maxNewTokens)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxNewTokens);
        if (inputIds.Length != attentionMask.Length || inputIds.Length % batch != 0)
        {
            throw new ArgumentException($"input_ids ({inputIds.Length} ids) and attention_mask ({attentionMask.Length}) must both be {batch} rows of one length.", nameof(attentionMask));
        }

        OnnxExportManifest manifest = model.Manifest;
        long sourceLength = inputIds.Length / batch;
        using var runOptions = new RunOptions();
        using OrtValue ids = OrtValue.CreateTensorValueFromMemory(inputIds, [batch, sourceLength]);
        using OrtValue mask = OrtValue.CreateTensorValueFromMemory(attentionMask, [batch, sourceLength]);
        using IDisposableReadOnlyCollection<OrtValue> encoded = model.Encoder.Run(runOptions, [OnnxNames.InputIds, OnnxNames.AttentionMask], [ids, mask], [OnnxNames.LastHiddenState]);

        var tokens = Enumerable.Range(0, batch).Select(_ => new List<long> { manifest.DecoderStartTokenId }).ToArray();
        var finished = new bool[batch];
        var last = new long[batch];
        Array.Fill(last, manifest.DecoderStartTokenId);
        string[] presentNames = [.. model.Decoder.OutputNames];
        string[] pastPresentNames = [.. model.DecoderWithPast.OutputNames];
        IDisposableReadOnlyCollection<OrtValue>? first = null, previous = null;
        try
        {
            for (int step = 0; step < maxNewTokens; step++)
            {
                using OrtValue next = OrtValue.CreateTensorValueFromMemory((long[])last.Clone(), [batch, 1]);
                IDisposableReadOnlyCollection<OrtValue> outputs;
                if (first is null)
                {
                    first = model.Decoder.Run(runOptions, [OnnxNames.InputIds, OnnxNames.EncoderAttentionMask, OnnxNames.EncoderHiddenStates], [next, mask, encoded[0]], presentNames);
                    outputs = first;
                }
                else
                {
                    var (names, values) = PastInputs(manifest, presentNames, first, pastPresentNames, previous);
                    outputs = model.DecoderWithPast.Run(runOptions, [OnnxNames.InputIds, OnnxNames.EncoderAttentionMask, .. names], [next, mask, .. values], pastPresentNames);
                    previous?.Dispose();
                    previous = outputs;
                }

                ReadOnlySpan<float> logits = outputs[0].GetTensorDataAsSpan<float>(); // (B, 1, V)
                int vocab = logits.Length / batch;
                for (int row = 0; row < batch; row++)
                {
                    long token = finished[row] ? manifest.PadTokenId : ArgMax(logits.Slice(row * vocab, vocab));
                    finished[row] |= token == manifest.EosTokenId;
                    tokens[row].Add(token);
                    last[row] = token;
                }

                if (finished.All(f => f))
                {
                    break;
                }
            }
        }
        finally
        {
            previous?.Dispose();
            first?.Dispose();
        }

        return tokens.Select(t => t.ToArray()).ToArray();
    }

    // The cache for the next step: self-attention keys and values from the latest step, cross-attention ones from the first.
    private static (List<string> Names, List<OrtValue> Values) PastInputs(
        OnnxExportManifest manifest, string[] firstNames, IDisposableReadOnlyCollection<OrtValue> first, string[] pastNames, IDisposableReadOnlyCollection<OrtValue>? previous)
    {
        var names = new List<string>();
        var values = new List<OrtValue>();
        for (int layer = 0; layer < manifest.DecoderLayers; layer++)
        {
            foreach (string part in new[] { "key", "value" })
            {
                string self = OnnxNames.Present(layer, "decoder", part);
                names.Add(OnnxNames.Past(layer, "decoder", part));
                values.Add(previous is null ? first[Array.IndexOf(firstNames, self)] : previous[Array.IndexOf(pastNames, self)]);
            }

            foreach (string part in new[] { "key", "value" })
            {
                names.Add(OnnxNames.Past(layer, "encoder", part));
                values.Add(first[Array.IndexOf(firstNames, OnnxNames.Present(layer, "encoder", part))]);
            }
        }

        return (names, values);
    }

    private static long ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }
}
