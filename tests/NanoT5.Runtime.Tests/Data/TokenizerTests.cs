using NanoT5.Config;
using NanoT5.Data.Tokenizers;

namespace NanoT5.Tests.Data;

public sealed class TokenizerTests
{
    [Fact]
    public void SentencePiece_T5LayoutModelWithoutBos_LoadsAndMatchesSpmEncodeIds()
    {
        // sample.ids was written by `spm_encode --output_format=id` from sample.txt (see the fixture README).
        SentencePieceT5Tokenizer tokenizer = SentencePieceT5Tokenizer.Load(TestPaths.Tokenizer("t5-unigram-1k.model"));
        string[] lines = File.ReadAllLines(TestPaths.Tokenizer("sample.txt"));
        string[] expected = File.ReadAllLines(TestPaths.Tokenizer("sample.ids"));

        Assert.Equal(-1, tokenizer.Model.BosId);
        Assert.Equal(expected.Length, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            Assert.Equal(expected[i].Split(' ').Select(int.Parse), tokenizer.Encode(lines[i]));
        }
    }

    [Fact]
    public void SentencePiece_Layout_SentinelsCountDownFromCountAndVocabIsPaddedTo128()
    {
        SentencePieceT5Tokenizer tokenizer = SentencePieceT5Tokenizer.Load(TestPaths.Tokenizer("t5-unigram-1k.model"));

        Assert.Equal((0, 1), (tokenizer.PadId, tokenizer.EosId));
        Assert.Equal(1000, tokenizer.RegularCount);
        Assert.Equal(1100, tokenizer.Count);
        Assert.Equal(1152, tokenizer.ModelVocabSize);
        Assert.Equal(1099, tokenizer.SentinelId(0));
        Assert.Equal(1000, tokenizer.SentinelId(99));
    }

    [Fact]
    public void SentencePiece_Decode_StopsAtEosSkipsPadAndSpellsSentinels()
    {
        SentencePieceT5Tokenizer tokenizer = SentencePieceT5Tokenizer.Load(TestPaths.Tokenizer("t5-unigram-1k.model"));
        IReadOnlyList<int> hello = tokenizer.Encode("Gets a value");
        IReadOnlyList<int> handle = tokenizer.Encode("the handle");

        string text = tokenizer.Decode([0, .. hello, tokenizer.SentinelId(0), .. handle, 1, .. hello]);

        Assert.Equal("Gets a value<extra_id_0>the handle", text);
    }

    [Fact]
    public void SentencePiece_ModelWithOtherIds_IsRejectedNamingTheFileAndTheFlags()
    {
        using var folder = TestPaths.NewTempFolder();
        string path = folder.File("llama-like.model");
        File.WriteAllBytes(path, SentencePieceModelFileTests.WithTrainerIds(File.ReadAllBytes(TestPaths.Tokenizer("t5-unigram-1k.model")), unk: 0, bos: 1, eos: 2));

        var e = Assert.Throws<InvalidDataException>(() => SentencePieceT5Tokenizer.Load(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("--pad_id=0 --eos_id=1 --unk_id=2 --bos_id=-1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Factory_MissingSentencePieceFile_ThrowsFileNotFoundNamingIt()
    {
        var settings = new TokenizerSettings { Kind = TokenizerKind.SentencePiece, Path = "/nonexistent/spiece.model" };

        var e = Assert.Throws<FileNotFoundException>(() => TextTokenizerFactory.Create(settings));

        Assert.Contains("/nonexistent/spiece.model", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gpt2_Layout_ShiftsGpt2IdsAboveTheT5SpecialsAndPadsTheVocab()
    {
        var tokenizer = (Gpt2T5Tokenizer)TextTokenizerFactory.Create(new TokenizerSettings { Kind = TokenizerKind.Gpt2 });

        Assert.Equal(50_360, tokenizer.Count);
        Assert.Equal(50_432, tokenizer.ModelVocabSize);
        Assert.Equal(50_359, tokenizer.SentinelId(0));
        // GPT-2 encodes "Hello" as 15496.
        Assert.Equal([15496 + 3], tokenizer.Encode("Hello"));
    }

    [Fact]
    public void Gpt2_DecodeInvertsEncode_OnRealText()
    {
        var tokenizer = new Gpt2T5Tokenizer();
        string[] texts =
        [
            .. File.ReadAllLines(TestPaths.Tokenizer("sample.txt")),
            "Line one.\n\nLine two with\ttab and trailing spaces   ",
            "Represents a 64-bit signed integer. <see cref=\"T:System.Int64\" /> 😀",
        ];

        foreach (string text in texts)
        {
            IReadOnlyList<int> ids = tokenizer.Encode(text);
            Assert.All(ids, id => Assert.InRange(id, 3, tokenizer.RegularCount - 1));
            Assert.Equal(text, tokenizer.Decode(ids));
        }
    }
}
