using Google.Protobuf;
using NanoT5.Data.Tokenizers;

namespace NanoT5.Tests.Data;

public sealed class SentencePieceModelFileTests
{
    [Fact]
    public void Load_T5LayoutModel_ReadsIdsPiecesAndType()
    {
        SentencePieceModelFile model = SentencePieceModelFile.Load(TestPaths.Tokenizer("t5-unigram-1k.model"));

        Assert.Equal((0, 1, 2, -1), (model.PadId, model.EosId, model.UnkId, model.BosId));
        Assert.Equal(1000, model.PieceCount);
        Assert.Equal(1, model.ModelType);
        Assert.Empty(model.LayoutProblems());
    }

    [Fact]
    public void LoadableBytes_WithoutBos_PointsOnlyTheBosFieldsAtEos()
    {
        SentencePieceModelFile model = SentencePieceModelFile.Load(TestPaths.Tokenizer("t5-unigram-1k.model"));
        using var folder = TestPaths.NewTempFolder();
        string patchedPath = folder.File("patched.model");

        File.WriteAllBytes(patchedPath, model.LoadableBytes());
        SentencePieceModelFile patched = SentencePieceModelFile.Load(patchedPath);

        Assert.Equal((0, 1, 2, 1), (patched.PadId, patched.EosId, patched.UnkId, patched.BosId));
        Assert.Equal(model.PieceCount, patched.PieceCount);
        Assert.Equal(model.Bytes, patched.Bytes.AsSpan(0, model.Bytes.Length).ToArray());
    }

    [Fact]
    public void Load_NotAModel_ThrowsInvalidDataNamingTheFile()
    {
        using var folder = TestPaths.NewTempFolder();
        string path = folder.File("spiece.model");
        File.WriteAllText(path, "this is not a protobuf\n");

        var e = Assert.Throws<InvalidDataException>(() => SentencePieceModelFile.Load(path));

        Assert.StartsWith(path + ": not a SentencePiece model", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The model with its trainer ids overridden (a second trainer_spec, merged by protobuf).</summary>
    internal static byte[] WithTrainerIds(byte[] model, int unk, int bos, int eos)
    {
        using var spec = new MemoryStream();
        using (var output = new CodedOutputStream(spec, leaveOpen: true))
        {
            output.WriteTag(40, WireFormat.WireType.Varint);
            output.WriteInt32(unk);
            output.WriteTag(41, WireFormat.WireType.Varint);
            output.WriteInt32(bos);
            output.WriteTag(42, WireFormat.WireType.Varint);
            output.WriteInt32(eos);
        }

        using var result = new MemoryStream();
        result.Write(model);
        using (var output = new CodedOutputStream(result, leaveOpen: true))
        {
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(spec.ToArray()));
        }

        return result.ToArray();
    }
}
