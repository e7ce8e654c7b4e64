// -t:Export end to end: a tiny pretraining, then its run exported to ONNX by the experiment program's export verb, in
// the default folder and, with -p: properties, in fp16 elsewhere; a folder that is not an earlier export is refused.
using System.Text.Json;
using NanoT5.Sdk.Tests.Infrastructure;

namespace NanoT5.Sdk.Tests.Builds;

[Trait("Category", "Slow")]
public sealed class ExportBuildTests
{
    [Fact]
    public void Export_AfterATinyPretraining_WritesTheOnnxFolder_AndHonoursItsProperties()
    {
        using var folder = ExperimentFolder.InRepo(TinyPretraining.Project);
        Dotnet.Build(folder.ProjectFile, "Pretrain").ShouldSucceed();

        BuildResult exported = Dotnet.Build(folder.ProjectFile, "Export").ShouldSucceed();

        string onnx = Path.Combine(folder.Path, "runs", "exp", "onnx");
        Assert.Contains("NanoT5: export exp exited with code 0", exported.Output, StringComparison.Ordinal);
        Assert.Contains("check: ONNX Runtime's logits are within", exported.Output, StringComparison.Ordinal);
        foreach (string file in new[] { "encoder.onnx", "decoder.onnx", "decoder_with_past.onnx", "config.json", "tokenizer.json", "nanot5_onnx.json" })
        {
            Assert.True(File.Exists(Path.Combine(onnx, file)), $"{file} missing in {onnx}\n{exported}");
        }

        using (JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(onnx, "nanot5_onnx.json"))))
        {
            Assert.Equal("fp32", manifest.RootElement.GetProperty("weights").GetString());
            Assert.Equal(3, manifest.RootElement.GetProperty("step").GetInt64());
        }

        BuildResult half = Dotnet.Build(folder.ProjectFile, "Export", "-p:NanoT5ExportWeights=fp16", "-p:NanoT5ExportDirectory=onnx-fp16").ShouldSucceed();
        string halfFolder = Path.Combine(folder.Path, "onnx-fp16");
        using (JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(halfFolder, "nanot5_onnx.json"))))
        {
            Assert.Equal("fp16", manifest.RootElement.GetProperty("weights").GetString());
        }

        Assert.True(new FileInfo(Path.Combine(halfFolder, "decoder.onnx")).Length < new FileInfo(Path.Combine(onnx, "decoder.onnx")).Length * 0.6, half.Output);

        folder.Write("not-an-export/notes.txt", "mine");
        BuildResult refused = Dotnet.Build(folder.ProjectFile, "Export", "-p:NanoT5ExportDirectory=not-an-export");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("holds files but no nanot5_onnx.json", refused.Output, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(folder.Path, "not-an-export", "notes.txt")));
    }
}
