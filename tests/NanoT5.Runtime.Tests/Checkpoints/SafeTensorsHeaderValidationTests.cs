using System.Text;
using NanoT5.Checkpoints;

namespace NanoT5.Tests.Checkpoints;

[Collection(TorchCollection.Name)]
public sealed class SafeTensorsHeaderValidationTests
{
    [Theory]
    [InlineData("""{"w": {"dtype": "F32", "shape": [-4, -1], "data_offsets": [0, 16]}}""", 16, "tensor 'w' has a negative dimension in its shape [-4, -1]")]
    [InlineData("""{"w": {"dtype": "F32", "shape": [4611686018427387904, 4], "data_offsets": [0, 16]}}""", 16, "tensor 'w' has a dimension over 2147483647 in its shape [4611686018427387904, 4]")]
    [InlineData("""{"w": {"dtype": "F32", "shape": [4611686018427387904, 0], "data_offsets": [0, 0]}}""", 16, "tensor 'w' has a dimension over 2147483647")]
    [InlineData("""{"w": {"dtype": "F64", "shape": [2147483647, 2147483647, 2147483647], "data_offsets": [0, 16]}}""", 16, "tensor 'w' has the shape [2147483647, 2147483647, 2147483647], too large for any file")]
    [InlineData("""{"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}, "b": {"dtype": "F32", "shape": [4], "data_offsets": [8, 24]}}""", 24, "tensor 'b' (bytes 8..24) overlaps tensor 'a' (bytes 0..16)")]
    [InlineData("""{"a": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}, "b": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}""", 16, "overlaps tensor")]
    [InlineData("""{"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}, "w": {"dtype": "F32", "shape": [4], "data_offsets": [16, 32]}}""", 32, "tensor 'w' is listed twice")]
    [InlineData("""{"w": {"dtype": "F16", "shape": [4], "data_offsets": [0, 16]}}""", 16, "tensor 'w' (F16 [4]) needs 8 bytes but its offsets span 16")]
    [InlineData("""{"w": {"dtype": "F32", "shape": [4], "data_offsets": [8, 24]}}""", 16, "tensor 'w' has data offsets [8, 24] outside the file's 16 data bytes")]
    [InlineData("""{"w": {"dtype": "F32", "shape": [4.5], "data_offsets": [0, 16]}}""", 16, "tensor 'w' has a malformed header entry")]
    public void ReadHeaderAndLoad_AHostileHeader_IsAnErrorNamingTheFileAndTensor(string header, int dataBytes, string expected)
    {
        using var folder = TestPaths.NewTempFolder();
        string path = folder.File("hostile.safetensors");
        byte[] json = Encoding.UTF8.GetBytes(header);
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. new byte[dataBytes]]);

        var fromHeader = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.ReadHeader(path));
        var fromLoad = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Load(path));

        Assert.Contains(path, fromHeader.Message, StringComparison.Ordinal);
        Assert.Contains(expected, fromHeader.Message, StringComparison.Ordinal);
        Assert.Equal(fromHeader.Message, fromLoad.Message);
    }

    [Fact]
    public void Load_ZeroSizedTensorsSharingAnOffset_AreNotOverlaps()
    {
        using var folder = TestPaths.NewTempFolder();
        string path = folder.File("empty.safetensors");
        byte[] json = Encoding.UTF8.GetBytes("""{"a": {"dtype": "F32", "shape": [0, 3], "data_offsets": [0, 0]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}""");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)json.Length), .. json, 0, 0, 128, 63]);

        var loaded = SafeTensorsFile.Load(path);
        try
        {
            Assert.Equal(["a", "b"], loaded.Select(t => t.Name).Order());
            Assert.Equal(1.0f, loaded.Single(t => t.Name == "b").Tensor.item<float>());
        }
        finally
        {
            loaded.ToList().ForEach(t => t.Tensor.Dispose());
        }
    }
}
