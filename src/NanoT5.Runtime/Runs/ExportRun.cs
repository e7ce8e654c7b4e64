// The export verb: the run's model (latest checkpoint, else model.init_from; or export.from) -> ONNX folder ->
// loaded back into ONNX Runtime and checked against TorchSharp on one short batch before the verb reports success.
using System.Diagnostics;
using NanoT5.Config;
using NanoT5.Data.Tokenizers;
using NanoT5.Export;
using NanoT5.Model;
using static TorchSharp.torch;

namespace NanoT5.Runs;

/// <summary>Exports an experiment's model to ONNX.</summary>
public static class ExportRun
{
    // fp32 graphs compute what TorchSharp computes; the check's bound leaves room for summation order only.
    private const double Fp32Tolerance = 1e-3;

    /// <summary>Writes the export folder; returns the exit code.</summary>
    public static int Export(ExperimentConfig config, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(output);
        RunEnvironment.Prepare(config with { Device = "cpu" });
        T5LayoutTokenizer tokenizer = TextTokenizerFactory.Create(config.Tokenizer);
        using TrainedModel trained = string.IsNullOrWhiteSpace(config.Export.From)
            ? TrainedModel.Load(config, tokenizer, CPU, "export")
            : new TrainedModel(ModelFactory.Create(config with { Model = config.Model with { InitFrom = config.Export.From } }, tokenizer, CPU), config.Export.From, 0);
        string folder = config.Export.ResolveDirectory(config.RunDirectory);
        RefuseForeignFolder(folder);

        var watch = Stopwatch.StartNew();
        OnnxExportManifest manifest = T5OnnxExporter.Export(trained.Model, tokenizer, folder, new OnnxExportOptions
        {
            Weights = config.Export.Weights,
            MatchHfTokenizer = config.Finetune.MatchHfTokenizer,
            MaxTargetLength = config.Finetune.MaxTargetLength,
            ModelMaxLength = Math.Max(config.Data.InputLength, config.Finetune.MaxSourceLength),
            Source = Path.GetFullPath(trained.Source),
            Step = trained.Step,
        });
        double difference = Check(trained.Model, folder);
        output.WriteLine(FormattableString.Invariant($"[export] {trained.Source} (step {trained.Step}) -> {folder} ({manifest.Weights}, opset {manifest.Opset}, {watch.Elapsed.TotalSeconds:F1} s)"));
        foreach (string file in new[] { manifest.Encoder, manifest.Decoder, manifest.DecoderWithPast })
        {
            output.WriteLine(FormattableString.Invariant($"  {file}: {new FileInfo(Path.Combine(folder, file)).Length / 1048576.0:F1} MiB"));
        }

        output.WriteLine($"  tokenizer: {string.Join(", ", manifest.TokenizerFiles)}; manifest: {OnnxNames.ManifestFile}");
        output.WriteLine(FormattableString.Invariant($"  check: ONNX Runtime's logits are within {difference:E1} of TorchSharp's on a 2 x 16-token batch"));
        if (config.Export.Weights == ExportWeights.Fp32 && difference > Fp32Tolerance)
        {
            output.WriteLine(FormattableString.Invariant($"error: the fp32 export differs from the model by {difference:E2} (more than {Fp32Tolerance:E0}); the graphs do not compute this model."));
            return ExitCodes.CheckFailed;
        }

        return ExitCodes.Success;
    }

    // An earlier export is replaced; any other folder with files in it is not ours to write into.
    private static void RefuseForeignFolder(string folder)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any() && !File.Exists(Path.Combine(folder, OnnxNames.ManifestFile)))
        {
            throw new InvalidDataException($"{folder}: the export folder holds files but no {OnnxNames.ManifestFile} (it is not an earlier export); set export.directory (NanoT5ExportDirectory) to an empty or new folder.");
        }
    }

    // Max |ORT - TorchSharp| over the logits of a fixed 2 x 16 batch (second row half padded), decoder on 4 tokens.
    private static double Check(T5ForConditionalGeneration model, string folder)
    {
        using OnnxT5Model onnx = OnnxT5Model.Load(folder);
        int vocab = model.Config.VocabSize;
        long[] ids = Enumerable.Range(0, 32).Select(i => (long)(2 + (i * 7919 % (vocab - 2)))).ToArray();
        long[] mask = Enumerable.Range(0, 32).Select(i => i < 24 ? 1L : 0L).ToArray();
        long[] decoderIds = [model.Config.DecoderStartTokenId, 5 % vocab, 9 % vocab, 3 % vocab, model.Config.DecoderStartTokenId, 4 % vocab, 8 % vocab, 2 % vocab];
        float[] actual = OnnxLogits.Teacher(onnx, ids, mask, decoderIds, 2);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        Tensor maskTensor = tensor(mask).view(2, -1);
        float[] expected = model.Decode(tensor(decoderIds).view(2, -1), model.Encode(tensor(ids).view(2, -1), maskTensor), maskTensor).data<float>().ToArray();
        return actual.Zip(expected, (a, e) => Math.Abs((double)a - e)).Max();
    }
}
