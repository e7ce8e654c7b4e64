using NanoT5.Config;
using NanoT5.Finetune;
using TorchSharp;
using static NanoT5.Tests.Finetune.SniFixtures;

namespace NanoT5.Tests.Finetune;

[Collection(TorchCollection.Name)]
public sealed class SniCollatorTests
{
    private static readonly CharTokenizer Tokenizer = new();

    // No definition, no examples: the source is the 51-character tail plus the input, one token per character.
    private static readonly FinetuneSettings Settings = new() { AddTaskDefinition = false, NumPositiveExamples = 0, MaxTargetLength = 6 };

    private static long[,] Values(torch.Tensor t)
    {
        long[] flat = t.data<long>().ToArray();
        int rows = (int)t.shape[0], columns = (int)t.shape[1];
        var values = new long[rows, columns];
        Buffer.BlockCopy(flat, 0, values, 0, flat.Length * sizeof(long));
        return values;
    }

    [Fact]
    public void Collate_TwoRows_PadsToTheLongestRoundedUpToEightWithMaskAndMinus100Labels()
    {
        var collator = new SniCollator(Tokenizer, Settings);
        SniTask task = Task();
        SniRow shortRow = new(Item(task, input: "ab"), "xy");
        SniRow longRow = new(Item(task, input: "abcdefgh"), "a much longer label");
        int shortLength = collator.Prompts.Source(shortRow.Item).Length + 1; // + eos
        int longLength = collator.Prompts.Source(longRow.Item).Length + 1;

        using SniBatch batch = collator.Collate([shortRow, longRow]);

        int width = (longLength + 7) / 8 * 8;
        Assert.Equal([2L, width], batch.InputIds.shape);
        Assert.Equal([2L, width], batch.AttentionMask.shape);
        Assert.Equal(torch.ScalarType.Int64, batch.InputIds.dtype);
        Assert.Equal(torch.ScalarType.Int64, batch.Labels.dtype);
        long[,] ids = Values(batch.InputIds), mask = Values(batch.AttentionMask), labels = Values(batch.Labels);
        Assert.Equal(1, ids[0, shortLength - 1]); // eos
        Assert.Equal(0, ids[0, shortLength]); // pad
        Assert.Equal(1, mask[0, shortLength - 1]);
        Assert.Equal(0, mask[0, shortLength]);
        Assert.Equal(1, mask[1, longLength - 1]);
        Assert.Equal('N' + 3, ids[1, 0]);
        // Labels: "xy" + eos (3) and the long label cut to max_target_length - 1 = 5 tokens + eos (6); width 8.
        Assert.Equal([2L, 8], batch.Labels.shape);
        Assert.Equal(new long[] { 'x' + 3, 'y' + 3, 1, -100, -100, -100, -100, -100 }, Enumerable.Range(0, 8).Select(t => labels[0, t]));
        Assert.Equal(new long[] { 'a' + 3, ' ' + 3, 'm' + 3, 'u' + 3, 'c' + 3, 1, -100, -100 }, Enumerable.Range(0, 8).Select(t => labels[1, t]));
        Assert.Equal(["xy", "a muc"], batch.LabelReferences);
    }

    [Fact]
    public void InputIds_SourceLongerThanTheLimit_KeepsMaxMinusOneTokensThenEos()
    {
        var collator = new SniCollator(Tokenizer, Settings with { MaxSourceLength = 10 });

        int[] ids = collator.InputIds(new SniRow(Item(Task(), input: "abc"), "x"));

        Assert.Equal("Now compl".Select(c => c + 3).Append(1), ids);
    }

    [Theory]
    [InlineData(1, 8)]
    [InlineData(8, 8)]
    [InlineData(9, 16)]
    [InlineData(17, 24)]
    public void PaddedLength_RoundsUpToAMultipleOfEight(int longest, int expected) =>
        Assert.Equal(expected, SniCollator.PaddedLength(longest));

    [Fact]
    public void FromBatch_GeneratedIds_AreDecodedCleanedAndScoredBothWays()
    {
        var collator = new SniCollator(Tokenizer, Settings with { MaxTargetLength = 64 });
        SniTask task = Task() with { Instances = [] };
        var item = new SniItem(task, Instance("i7", "q", "the cat sat", "a dog ran"));
        using SniBatch batch = collator.Collate([new SniRow(item, "a dog ran")]);
        // Decoder start (pad), text with a tokenization space before the period, eos, then junk after eos.
        int[] generated = [0, .. Tokenizer.Encode(" the cat sat ."), 1, .. Tokenizer.Encode("junk")];

        IReadOnlyList<SniPrediction> predictions = SniPrediction.FromBatch(batch, [generated], Tokenizer);
        SniRougeL rouge = SniRougeL.Compute(predictions);

        SniPrediction prediction = predictions.Single();
        Assert.Equal(("task001_copy", "Text Copying", "i7"), (prediction.Task, prediction.Category, prediction.InstanceId));
        Assert.Equal("the cat sat.", prediction.Prediction);
        Assert.Equal(["the cat sat", "a dog ran"], prediction.References);
        Assert.Equal("a dog ran", prediction.LabelReference);
        Assert.Equal(100, rouge.AllReferences.RougeL); // best reference: identical words
        Assert.Equal(0, rouge.LabelReference.RougeL); // nanoT5 scores against the drawn label only
        Assert.Equal(100, rouge.AllReferences.ByCategory["Text Copying"].RougeL);
    }
}
