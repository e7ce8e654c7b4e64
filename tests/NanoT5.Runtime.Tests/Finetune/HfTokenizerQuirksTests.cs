// What nanoT5's HF stack (transformers 4.30 T5TokenizerFast, generate) does to fine-tuning text, pinned on fixed strings.
// Expected ids: `spm_encode --output_format=id` with the fixture model, plus the lone "▁" piece (id 7 in this model,
// 3 in t5-v1_1's) where T5TokenizerFast adds it (huggingface/tokenizers#1250).
using NanoT5.Config;
using NanoT5.Data;
using NanoT5.Data.Tokenizers;
using NanoT5.Finetune;

namespace NanoT5.Tests.Finetune;

public sealed class HfTokenizerQuirksTests
{
    private static readonly SentencePieceT5Tokenizer SentencePiece = SentencePieceT5Tokenizer.Load(TestPaths.Tokenizer("t5-unigram-1k.model"));

    [Theory]
    [InlineData("   space   ", new[] { 7, 3, 41, 18, 131, 7 })]
    [InlineData("Output: ", new[] { 219, 44, 24, 41, 44, 24, 459, 7 })]
    [InlineData("hello world\t\n", new[] { 392, 19, 127, 29, 489, 88, 42, 21, 7 })]
    [InlineData("Output:", new[] { 219, 44, 24, 41, 44, 24, 459 })]
    [InlineData("   ", new[] { 7 })]
    [InlineData("", new int[0])]
    public void Encode_TextEndingInWhitespace_GetsTheLoneSpacePieceLikeT5TokenizerFast(string text, int[] expected)
    {
        ITextTokenizer hf = HfT5TokenizerFast.Wrap(SentencePiece);

        Assert.Equal(7, Assert.IsType<HfT5TokenizerFast>(hf).LoneSpaceId);
        Assert.Equal(expected, hf.Encode(text));
        Assert.Equal(expected.Length - (text.Length > 0 && char.IsWhiteSpace(text[^1]) ? 1 : 0), SentencePiece.Encode(text).Count);
    }

    [Fact]
    public void Collator_SniSourceEndingInOutputColon_HasTheLoneSpacePieceBeforeEos_UnlessTurnedOff()
    {
        SniItem item = SniFixtures.Item(SniFixtures.Task(), input: "hello world");
        var settings = new FinetuneSettings { AddTaskDefinition = false, NumPositiveExamples = 0 };

        int[] matched = new SniCollator(HfT5TokenizerFast.Wrap(SentencePiece), settings).InputIds(new SniRow(item, "hi"));
        int[] plain = new SniCollator(SentencePiece, settings).InputIds(new SniRow(item, "hi"));

        Assert.Equal([219, 44, 24, 41, 44, 24, 459, 7, 1], matched[^9..]);
        Assert.Equal([.. plain[..^1], 7, 1], matched);
    }

    [Fact]
    public void Wrap_Gpt2_IsUnchanged_ItsByteLevelBpeAlreadyKeepsTrailingSpaces()
    {
        ITextTokenizer gpt2 = TextTokenizerFactory.Create(new TokenizerSettings { Kind = TokenizerKind.Gpt2 });

        Assert.Same(gpt2, HfT5TokenizerFast.Wrap(gpt2));
    }

    [Fact]
    public void DecodePrediction_SkipsPadEosUnkAndSentinels_AsSkipSpecialTokens()
    {
        int[] ids = [0, 2, SentencePiece.SentinelId(0), 392, 19, 127, 29, 2, SentencePiece.SentinelId(99), 489, 88, 42, 21, 1, 392, 0];

        Assert.Equal("hello world", SniPredictionText.Decode(SentencePiece, ids));
    }

    [Fact]
    public void MaxNewTokens_GenerateWithMaxLength128_YieldsAtMost127_UnlessTurnedOff()
    {
        Assert.Equal(127, new FinetuneSettings { MaxTargetLength = 128 }.MaxNewTokens());
        Assert.Equal(128, new FinetuneSettings { MaxTargetLength = 128, MatchHfTokenizer = false }.MaxNewTokens());
        Assert.True(new FinetuneSettings().MatchHfTokenizer);
    }
}
