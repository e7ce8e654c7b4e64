using NanoT5.Data.Tokenizers;
using NanoT5.Finetune;

namespace NanoT5.Tests.Finetune;

public sealed class TextPredictionTextTests
{
    private static readonly SentencePieceT5Tokenizer Tokenizer = SentencePieceT5Tokenizer.Load(TestPaths.Tokenizer("t5-unigram-1k.model"));

    [Fact]
    public void InputIds_Sentinels_BecomeTheirIdsBetweenTheTextsPiecesThenEos()
    {
        int[] ids = TextPrediction.InputIds("The cat <extra_id_0> the mat <extra_id_1>.", Tokenizer, 512);

        int[] expected = [.. Tokenizer.Encode("The cat"), Tokenizer.SentinelId(0), .. Tokenizer.Encode(" the mat"), Tokenizer.SentinelId(1), .. Tokenizer.Encode("."), Tokenizer.EosId];
        Assert.Equal(expected, ids);
    }

    [Fact]
    public void InputIds_NoSentinel_IsTheEncodingCutToMaxLengthWithEos()
    {
        int[] ids = TextPrediction.InputIds("Sentence number 3 is about the weather", Tokenizer, 4);

        Assert.Equal([.. Tokenizer.Encode("Sentence number 3 is about the weather").Take(3), Tokenizer.EosId], ids);
    }

    [Fact]
    public void FromIds_SentinelInput_KeepsTheTargetFormatAndFillsTheSpans()
    {
        string input = "The cat <extra_id_0> the mat <extra_id_1>.";
        int[] generated = [0, Tokenizer.SentinelId(0), .. Tokenizer.Encode("sat on"), Tokenizer.SentinelId(1), .. Tokenizer.Encode("today"), Tokenizer.EosId, 0];

        TextPrediction prediction = TextPrediction.FromIds(input, generated, Tokenizer);

        Assert.Equal($"<extra_id_0>{Tokenizer.Decode(Tokenizer.Encode("sat on"))}<extra_id_1>{Tokenizer.Decode(Tokenizer.Encode("today"))}", prediction.Prediction);
        Assert.Equal("The cat sat on the mat today.", prediction.Filled);
    }

    [Fact]
    public void FromIds_PlainInput_DecodesAsSniPredict()
    {
        int[] generated = [0, Tokenizer.SentinelId(0), .. Tokenizer.Encode("an answer"), Tokenizer.EosId];

        TextPrediction prediction = TextPrediction.FromIds("question", generated, Tokenizer);

        Assert.Equal(SniPredictionText.Decode(Tokenizer, generated), prediction.Prediction);
        Assert.Null(prediction.Filled);
    }

    [Fact]
    public void Fill_UnansweredSentinel_StaysInPlace()
    {
        Assert.Equal("a X b <extra_id_1>", TextPrediction.Fill("a <extra_id_0> b <extra_id_1>", "<extra_id_0> X", Tokenizer));
    }
}
