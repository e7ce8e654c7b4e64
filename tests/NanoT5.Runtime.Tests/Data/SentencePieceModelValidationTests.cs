using Google.Protobuf;
using NanoT5.Data.Tokenizers;

namespace NanoT5.Tests.Data;

public sealed class SentencePieceModelValidationTests
{
    [Theory]
    [InlineData("▁the", 0f, "piece 1000 ('▁the') appears twice")]
    [InlineData("", -3f, "piece 1000 is empty")]
    [InlineData("▁zebrafish", float.NaN, "piece 1000 ('▁zebrafish') has a NaN score")]
    public void Load_AModelWithABadPieceAppended_IsRefusedNamingTheFileAndPiece(string piece, float score, string expected)
    {
        using var folder = TestPaths.NewTempFolder();
        string path = folder.File("spiece.model");
        byte[] original = File.ReadAllBytes(TestPaths.Tokenizer("t5-unigram-1k.model"));
        Assert.Contains("▁the", System.Text.Encoding.UTF8.GetString(original), StringComparison.Ordinal);
        File.WriteAllBytes(path, [.. original, .. PiecesField(piece, score)]);

        var error = Assert.Throws<InvalidDataException>(() => SentencePieceModelFile.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AModelWithAUniquePieceAppended_Loads()
    {
        using var folder = TestPaths.NewTempFolder();
        string path = folder.File("spiece.model");
        File.WriteAllBytes(path, [.. File.ReadAllBytes(TestPaths.Tokenizer("t5-unigram-1k.model")), .. PiecesField("▁zebrafish", -20f)]);

        Assert.Equal(1001, SentencePieceModelFile.Load(path).PieceCount);
    }

    // ModelProto field 1 (pieces): SentencePiece { piece = 1; score = 2 }, appended as protobuf merges repeated fields.
    internal static byte[] PiecesField(string piece, float score)
    {
        using var message = new MemoryStream();
        using (var output = new CodedOutputStream(message, leaveOpen: true))
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteString(piece);
            output.WriteTag(2, WireFormat.WireType.Fixed32);
            output.WriteFloat(score);
        }

        using var field = new MemoryStream();
        using (var output = new CodedOutputStream(field, leaveOpen: true))
        {
            output.WriteTag(1, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(message.ToArray()));
        }

        return field.ToArray();
    }
}
