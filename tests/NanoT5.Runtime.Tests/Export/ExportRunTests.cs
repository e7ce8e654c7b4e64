// The export verb in process: a small model with the committed 1k-piece tokenizer exported through the command line
// (--config), checked against TorchSharp, the folder's files and manifest; a folder that is not an earlier export is
// refused and left as it was.
using System.Text.Json;
using NanoT5.Checkpoints;
using NanoT5.Config;
using NanoT5.Export;
using NanoT5.Model;
using NanoT5.Runs;
using NanoT5.Tests.Data;
using static TorchSharp.torch;

namespace NanoT5.Tests.Export;

[Collection(ConsoleCollection.Name)]
public sealed class ExportRunTests
{
    [Fact]
    public void ExportVerb_WithAConfigFile_WritesTheFolderAndChecksIt()
    {
        using var folder = TestPaths.NewTempFolder();
        ExperimentConfig config = Config(folder.Path);
        string configFile = Path.Combine(folder.Path, "run.json");
        ExperimentConfigJson.Save(config, configFile);

        (int exit, string output) = CliRunner.Run(["export", "--config", configFile]);

        Assert.True(exit == ExitCodes.Success, output);
        string onnx = Path.Combine(config.RunDirectory, "onnx");
        Assert.Contains($"-> {onnx} (fp32, opset 17", output, StringComparison.Ordinal);
        var check = System.Text.RegularExpressions.Regex.Match(output, @"check: ONNX Runtime's logits are within (\S+) of TorchSharp's");
        Assert.True(check.Success, output);
        Assert.InRange(double.Parse(check.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 0, 1e-4);
        OnnxExportManifest manifest = OnnxExportManifest.Load(onnx);
        Assert.Equal(["spiece.model", "special_tokens_map.json", "tokenizer_config.json"], manifest.TokenizerFiles);
        Assert.Equal((2, 4, 8, 1152, 0, 1, 0), (manifest.DecoderLayers, manifest.NumHeads, manifest.DKv, manifest.VocabSize, manifest.DecoderStartTokenId, manifest.EosTokenId, manifest.PadTokenId));
        Assert.Equal((true, 8), (manifest.MatchHfTokenizer, manifest.MaxTargetLength));
        Assert.All(manifest.TokenizerFiles.Append(OnnxNames.EncoderFile).Append(OnnxNames.DecoderFile).Append(OnnxNames.DecoderWithPastFile).Append("config.json"),
            f => Assert.True(File.Exists(Path.Combine(onnx, f)), f));
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(onnx, OnnxNames.ManifestFile)));
        Assert.Equal("encoder.onnx", document.RootElement.GetProperty("encoder").GetString());

        // A second export replaces the first.
        (int again, string againOutput) = CliRunner.Run(["export", "--config", configFile]);
        Assert.True(again == ExitCodes.Success, againOutput);
    }

    [Fact]
    public void Export_IntoAFolderThatIsNotAnExport_IsRefusedAndLeftAlone()
    {
        using var folder = TestPaths.NewTempFolder();
        string foreign = Path.Combine(folder.Path, "mine");
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "notes.txt"), "keep");
        ExperimentConfig config = Config(folder.Path) with { Export = new ExportSettings { Directory = foreign } };

        var error = Assert.Throws<InvalidDataException>(() => ExportRun.Export(config, TextWriter.Null));

        Assert.Equal($"{foreign}: the export folder holds files but no nanot5_onnx.json (it is not an earlier export); set export.directory (NanoT5ExportDirectory) to an empty or new folder.", error.Message);
        Assert.Equal(["notes.txt"], Directory.GetFiles(foreign).Select(Path.GetFileName));
    }

    [Fact]
    public void Manifest_OfAnotherFormat_IsRefusedNamingTheFile()
    {
        using var folder = TestPaths.NewTempFolder();
        File.WriteAllText(Path.Combine(folder.Path, OnnxNames.ManifestFile), "{\"format\": 2}");

        var error = Assert.Throws<InvalidDataException>(() => OnnxExportManifest.Load(folder.Path));

        Assert.Equal($"{Path.Combine(folder.Path, OnnxNames.ManifestFile)}: manifest format 2; this version reads format 1.", error.Message);
    }

    // A 2-layer model sized to the 1k tokenizer, saved as an HF folder and named by model.init_from.
    private static ExperimentConfig Config(string root)
    {
        string model = Path.Combine(root, "model");
        manual_seed(5);
        using (var t5 = new T5ForConditionalGeneration(new T5Config { VocabSize = 1152, DModel = 32, DKv = 8, DFf = 64, NumLayers = 2, NumDecoderLayers = 2, NumHeads = 4 }))
        {
            t5.InitializeWeights();
            HfCheckpoint.Save(t5, model);
        }

        return new ExperimentConfig
        {
            Name = "export-test",
            Mode = RunMode.Finetune,
            RunDirectory = Path.Combine(root, "run"),
            Model = new ModelSettings { InitFrom = model },
            Tokenizer = new TokenizerSettings { Kind = TokenizerKind.SentencePiece, Path = TestPaths.Tokenizer("t5-unigram-1k.model") },
            Finetune = new FinetuneSettings { DataDirectory = "builtin:demo", MaxTargetLength = 8 },
        };
    }
}
