using NanoT5.Data.Tokenizers;
using NanoT5.Finetune;

namespace NanoT5.Tests.Finetune;

public sealed class SniPredictionTextTests
{
    private static readonly SentencePieceT5Tokenizer Tokenizer = SentencePieceT5Tokenizer.Load(TestPaths.Tokenizer("t5-unigram-1k.model"));

    [Fact]
    public void Decode_SentinelsInTheGeneratedIds_AreSkippedAsTransformersSkipsSpecialTokens()
    {
        int[] generated = [0, Tokenizer.SentinelId(0), .. Tokenizer.Encode("the weather"), Tokenizer.SentinelId(1), .. Tokenizer.Encode(" was fine ."), 1, Tokenizer.SentinelId(2)];

        Assert.Contains("<extra_id_0>", Tokenizer.Decode(generated), StringComparison.Ordinal);
        Assert.Equal("the weather was fine.", SniPredictionText.Decode(Tokenizer, generated));
    }
}
