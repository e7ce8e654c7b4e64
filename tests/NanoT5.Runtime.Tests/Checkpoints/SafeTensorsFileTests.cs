using System.Text;
using System.Text.Json.Nodes;
using NanoT5.Checkpoints;
using static TorchSharp.torch;

namespace NanoT5.Tests.Checkpoints;

[Collection(TorchCollection.Name)]
public sealed class SafeTensorsFileTests
{
    [Fact]
    public void Save_ThenLoad_RoundTripsNamesShapesDtypesAndValues()
    {
        using var folder = TestPaths.NewTempFolder();
        using var scope = NewDisposeScope();
        var tensors = new List<(string, Tensor)>
        {
            ("a.weight", randn(3, 4)),
            ("b.bf16", randn(5).to(ScalarType.BFloat16)),
            ("c.ids", arange(6, dtype: ScalarType.Int64).reshape(2, 3)),
            ("d.scalar", tensor(2.5f)),
        };

        SafeTensorsFile.Save(folder.File("x.safetensors"), tensors);
        var loaded = SafeTensorsFile.Load(folder.File("x.safetensors"));

        Assert.Equal(tensors.Select(t => t.Item1), loaded.Select(t => t.Name));
        foreach (var ((_, expected), (_, actual)) in tensors.Zip(loaded))
        {
            Assert.Equal(expected.dtype, actual.dtype);
            Assert.Equal(expected.shape, actual.shape);
            Assert.True(expected.Equals(actual));
        }
    }

    [Fact]
    public void Save_WritesTheHeaderHuggingFaceExpects_FormatPtAndEightByteAlignment()
    {
        using var folder = TestPaths.NewTempFolder();
        using var t = ones(3);
        SafeTensorsFile.Save(folder.File("x.safetensors"), [("w", t)]);

        byte[] bytes = File.ReadAllBytes(folder.File("x.safetensors"));
        ulong headerLength = BitConverter.ToUInt64(bytes, 0);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength))!;

        Assert.Equal(0UL, headerLength % 8);
        Assert.Equal("pt", header["__metadata__"]!["format"]!.GetValue<string>());
        Assert.Equal("F32", header["w"]!["dtype"]!.GetValue<string>());
        Assert.Equal(8 + (long)headerLength + 12, bytes.Length);
    }

    [Fact]
    public void Load_ReadsTheReferenceFixtureWrittenByPythonSafetensors()
    {
        var tensors = SafeTensorsFile.Load(Path.Combine(TestPaths.ParityFixture, "model.safetensors"));

        Assert.Equal(52, tensors.Count);
        Assert.Equal("shared.weight", tensors[0].Name);
        Assert.Equal(new long[] { 128, 64 }, tensors[0].Tensor.shape);
    }

    [Fact]
    public void Load_OfATruncatedFile_NamesTheFileAndTheTensor()
    {
        using var folder = TestPaths.NewTempFolder();
        using var t = ones(100);
        SafeTensorsFile.Save(folder.File("x.safetensors"), [("layer.weight", t)]);
        byte[] bytes = File.ReadAllBytes(folder.File("x.safetensors"));
        File.WriteAllBytes(folder.File("x.safetensors"), bytes[..^40]);

        var error = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Load(folder.File("x.safetensors")));

        Assert.Contains(folder.File("x.safetensors"), error.Message, StringComparison.Ordinal);
        Assert.Contains("layer.weight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OfANonSafetensorsFile_SaysSoAndNamesTheFile()
    {
        using var folder = TestPaths.NewTempFolder();
        File.WriteAllText(folder.File("x.safetensors"), "this is not a checkpoint");

        var error = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Load(folder.File("x.safetensors")));

        Assert.Contains("x.safetensors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_OverALongerFile_LeavesNoStaleBytes()
    {
        using var folder = TestPaths.NewTempFolder();
        using var big = ones(1000);
        using var small = ones(2);
        SafeTensorsFile.Save(folder.File("x.safetensors"), [("w", big)]);
        SafeTensorsFile.Save(folder.File("x.safetensors"), [("w", small)]);

        var loaded = SafeTensorsFile.Load(folder.File("x.safetensors"));

        Assert.Equal(new long[] { 2 }, loaded.Single().Tensor.shape);
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp", SearchOption.AllDirectories).Concat(Directory.GetFiles(folder.Path, ".*")));
    }
}
