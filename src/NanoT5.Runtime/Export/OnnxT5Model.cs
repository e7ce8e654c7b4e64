// An exported folder loaded into ONNX Runtime: the encoder, the first decoder step and the cached steps, each an
// InferenceSession with ONNX Runtime's full graph optimisation. No libtorch is involved.
using Microsoft.ML.OnnxRuntime;

namespace NanoT5.Export;

/// <summary>The three sessions of an exported T5 and its manifest. Dispose it to free the sessions.</summary>
public sealed class OnnxT5Model : IDisposable
{
    private OnnxT5Model(string folder, OnnxExportManifest manifest, InferenceSession encoder, InferenceSession decoder, InferenceSession decoderWithPast)
    {
        Folder = folder;
        Manifest = manifest;
        Encoder = encoder;
        Decoder = decoder;
        DecoderWithPast = decoderWithPast;
    }

    public string Folder { get; }

    public OnnxExportManifest Manifest { get; }

    /// <summary>input_ids, attention_mask -> last_hidden_state.</summary>
    public InferenceSession Encoder { get; }

    /// <summary>The first step: logits and the whole cache.</summary>
    public InferenceSession Decoder { get; }

    /// <summary>Later steps: logits and the grown self-attention cache.</summary>
    public InferenceSession DecoderWithPast { get; }

    /// <summary>Loads <paramref name="folder"/> (an export's manifest and its three graphs) on the CPU provider; <paramref name="threads"/> 0 = ONNX Runtime's default.</summary>
    public static OnnxT5Model Load(string folder, int threads = 0)
    {
        OnnxExportManifest manifest = OnnxExportManifest.Load(folder);
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING };
        if (threads > 0)
        {
            options.IntraOpNumThreads = threads;
            options.InterOpNumThreads = 1;
        }

        var sessions = new List<InferenceSession>();
        try
        {
            foreach (string file in new[] { manifest.Encoder, manifest.Decoder, manifest.DecoderWithPast })
            {
                string path = Path.Combine(folder, file);
                if (!File.Exists(path))
                {
                    throw new FileNotFoundException($"{path}: missing ({Path.Combine(folder, OnnxNames.ManifestFile)} names it).", path);
                }

                sessions.Add(Open(path, options));
            }

            return new OnnxT5Model(folder, manifest, sessions[0], sessions[1], sessions[2]);
        }
        catch
        {
            sessions.ForEach(s => s.Dispose());
            throw;
        }
    }

    public void Dispose()
    {
        Encoder.Dispose();
        Decoder.Dispose();
        DecoderWithPast.Dispose();
    }

    private static InferenceSession Open(string path, SessionOptions options)
    {
        try
        {
            return new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{path}: ONNX Runtime cannot load it: {e.Message}", e);
        }
    }
}
