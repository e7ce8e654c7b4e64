// Writes a model as an ONNX folder in optimum's layout: encoder.onnx, decoder.onnx, decoder_with_past.onnx,
// config.json, the tokenizer files and nanot5_onnx.json. Each file is written whole or not at all.
using Google.Protobuf;
using NanoT5.Checkpoints;
using NanoT5.Config;
using NanoT5.Data;
using NanoT5.Data.Tokenizers;
using NanoT5.IO;
using NanoT5.Model;
using static TorchSharp.torch;

namespace NanoT5.Export;

/// <summary>What the exported folder records about generation and provenance.</summary>
public sealed record OnnxExportOptions
{
    public ExportWeights Weights { get; init; } = ExportWeights.Fp32;

    /// <summary>finetune.match_hf_tokenizer of the experiment (generation then stops one token earlier, as nanoT5's).</summary>
    public bool MatchHfTokenizer { get; init; } = true;

    /// <summary>finetune.max_target_length: generation's default limit.</summary>
    public int MaxTargetLength { get; init; } = 128;

    /// <summary>The tokenizer's model_max_length (the encoder's length in training).</summary>
    public int ModelMaxLength { get; init; } = 512;

    public string Source { get; init; } = string.Empty;

    public long Step { get; init; }
}

/// <summary>Exports a T5 model to ONNX.</summary>
public static class T5OnnxExporter
{
    // protobuf messages are limited to 2 GiB; larger models would need ONNX's external data files.
    private const long MaxModelBytes = int.MaxValue - (64L << 20);

    /// <summary>Writes the folder; returns its manifest. Without a <paramref name="tokenizer"/> (a bare model) no tokenizer files are written.</summary>
    public static OnnxExportManifest Export(T5ForConditionalGeneration model, ITextTokenizer? tokenizer, string folder, OnnxExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        T5Config config = model.Config;
        long parameterBytes = model.parameters().Sum(p => p.numel()) * (options.Weights == ExportWeights.Fp16 ? 2 : 4);
        if (parameterBytes > MaxModelBytes)
        {
            throw new InvalidDataException(
                $"the model's weights take {parameterBytes >> 20} MiB as {options.Weights}: more than one ONNX file (a 2 GiB protobuf) holds; export with fp16 weights or a smaller model.");
        }

        var graphs = new T5OnnxGraphs(config, Weights(model), options.Weights == ExportWeights.Fp16);
        Directory.CreateDirectory(folder);
        Write(folder, OnnxNames.EncoderFile, graphs.Encoder());
        Write(folder, OnnxNames.DecoderFile, graphs.Decoder());
        Write(folder, OnnxNames.DecoderWithPastFile, graphs.DecoderWithPast());
        HfConfigFile.Save(config, Path.Combine(folder, HfCheckpoint.ConfigName), "float32");
        IReadOnlyList<string> tokenizerFiles = tokenizer is null ? [] : HfTokenizerExport.Write(tokenizer, folder, options.ModelMaxLength);

        var manifest = new OnnxExportManifest
        {
            Weights = options.Weights == ExportWeights.Fp16 ? "fp16" : "fp32",
            Opset = OnnxGraphBuilder.Opset,
            DecoderLayers = config.DecoderLayers,
            NumHeads = config.NumHeads,
            DKv = config.DKv,
            VocabSize = config.VocabSize,
            DecoderStartTokenId = config.DecoderStartTokenId,
            EosTokenId = config.EosTokenId,
            PadTokenId = config.PadTokenId,
            MatchHfTokenizer = options.MatchHfTokenizer,
            MaxTargetLength = options.MaxTargetLength,
            TokenizerFiles = tokenizerFiles,
            Source = options.Source,
            Step = options.Step,
        };
        AtomicFile.WriteAllText(Path.Combine(folder, OnnxNames.ManifestFile), manifest.ToJson());
        return manifest;
    }

    private static Dictionary<string, ExportedTensor> Weights(T5ForConditionalGeneration model)
    {
        using var noGrad = no_grad();
        var weights = new Dictionary<string, ExportedTensor>(StringComparer.Ordinal);
        foreach ((string name, TorchSharp.Modules.Parameter parameter) in model.named_parameters())
        {
            using Tensor values = parameter.detach().to(ScalarType.Float32).cpu().contiguous();
            weights[name] = new ExportedTensor(values.data<float>().ToArray(), values.shape);
        }

        return weights;
    }

    private static void Write(string folder, string file, Onnx.ModelProto model) =>
        AtomicFile.Write(Path.Combine(folder, file), stream => model.WriteTo(stream));
}
