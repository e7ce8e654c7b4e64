// nanot5_onnx.json: which file is which, the names of their inputs and outputs, the tokenizer files and what
// generation needs (start, eos and pad ids, the HF tokenizer quirk), so an app needs nothing else from this project.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NanoT5.Export;

/// <summary>The manifest of an exported folder.</summary>
public sealed record OnnxExportManifest
{
    /// <summary>The manifest's format; a reader refuses a version it does not know.</summary>
    public const int CurrentFormat = 1;

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    [JsonPropertyName("format")] public int Format { get; init; } = CurrentFormat;

    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "t5";

    [JsonPropertyName("weights")] public string Weights { get; init; } = "fp32";

    [JsonPropertyName("opset")] public int Opset { get; init; } = 17;

    [JsonPropertyName("encoder")] public string Encoder { get; init; } = OnnxNames.EncoderFile;

    [JsonPropertyName("decoder")] public string Decoder { get; init; } = OnnxNames.DecoderFile;

    [JsonPropertyName("decoder_with_past")] public string DecoderWithPast { get; init; } = OnnxNames.DecoderWithPastFile;

    [JsonPropertyName("num_decoder_layers")] public int DecoderLayers { get; init; }

    [JsonPropertyName("num_heads")] public int NumHeads { get; init; }

    [JsonPropertyName("d_kv")] public int DKv { get; init; }

    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }

    [JsonPropertyName("decoder_start_token_id")] public int DecoderStartTokenId { get; init; }

    [JsonPropertyName("eos_token_id")] public int EosTokenId { get; init; } = 1;

    [JsonPropertyName("pad_token_id")] public int PadTokenId { get; init; }

    /// <summary>Generate as HF's T5TokenizerFast-driven nanoT5 does: at most max_new_tokens - 1 tokens (finetune.match_hf_tokenizer).</summary>
    [JsonPropertyName("match_hf_tokenizer")] public bool MatchHfTokenizer { get; init; }

    /// <summary>The target length the model was fine-tuned for (generation's default limit).</summary>
    [JsonPropertyName("max_target_length")] public int MaxTargetLength { get; init; }

    [JsonPropertyName("tokenizer_files")] public IReadOnlyList<string> TokenizerFiles { get; init; } = [];

    /// <summary>The checkpoint or model folder the weights came from, and its training step.</summary>
    [JsonPropertyName("source")] public string Source { get; init; } = string.Empty;

    [JsonPropertyName("step")] public long Step { get; init; }

    /// <summary>Reads <paramref name="folder"/>'s manifest; the error names the file and what is wrong.</summary>
    public static OnnxExportManifest Load(string folder)
    {
        string path = Path.Combine(folder, OnnxNames.ManifestFile);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no ONNX export manifest here (write one with the export verb or `dotnet build <experiment> -t:Export`).", path);
        }

        OnnxExportManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<OnnxExportManifest>(File.ReadAllText(path), Options) ?? throw new InvalidDataException($"{path}: the manifest is null.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid manifest: {e.Message}", e);
        }

        return manifest.Format == CurrentFormat ? manifest
            : throw new InvalidDataException($"{path}: manifest format {manifest.Format}; this version reads format {CurrentFormat}.");
    }

    /// <summary>The manifest as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options);
}
