// ONNX Runtime against TorchSharp on the same weights: the encoder's hidden states and the decoder's logits (first
// step, then step by step from the cache) agree within 1e-4 in fp32, for several batches and lengths, including
// lengths past relative_attention_max_distance and longer than any the model was trained or exported with.
using NanoT5.Checkpoints;
using NanoT5.Config;
using NanoT5.Export;
using NanoT5.Model;
using static TorchSharp.torch;

namespace NanoT5.Tests.Export;

[Collection(TorchCollection.Name)]
public sealed class OnnxParityTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<int, int, int> Shapes => new()
    {
        // batch, encoder length, decoder length
        { 1, 1, 1 },
        { 2, 7, 5 },
        { 3, 40, 12 },
        { 2, 150, 20 },
        { 2, 300, 140 }, // beyond max_distance 128 on both sides
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ParityFixture_EncoderAndDecoder_MatchTorchSharpWithin1e4(int batch, int sourceLength, int targetLength)
    {
        using var model = HfCheckpoint.LoadModel(TestPaths.ParityFixture);
        AssertParity(model, batch, sourceLength, targetLength, seed: sourceLength);
    }

    [Theory]
    [InlineData(1, 64, 1)]
    [InlineData(4, 256, 64)]
    [InlineData(2, 513, 9)]
    public void DefaultExperimentShape_EncoderAndDecoder_MatchTorchSharpWithin1e4(int batch, int sourceLength, int targetLength)
    {
        // The default experiment's model: the mini preset sized to its 8,000-piece tokenizer, seeded init.
        manual_seed(7);
        using var model = new T5ForConditionalGeneration(T5Presets.Get("mini", vocabSize: 8192));
        model.InitializeWeights();
        AssertParity(model, batch, sourceLength, targetLength, seed: batch);
    }

    [Fact]
    public void Fp16Weights_RunOnTheCpuProvider_AndStayCloseToFp32()
    {
        using var model = HfCheckpoint.LoadModel(TestPaths.ParityFixture);
        using var folder = TestPaths.NewTempFolder();
        T5OnnxExporter.Export(model, null, folder.Path, new OnnxExportOptions { Weights = ExportWeights.Fp16 });
        using var onnx = OnnxT5Model.Load(folder.Path);
        (long[] ids, long[] mask) = Inputs(2, 30, model.Config.VocabSize, seed: 3);

        float[] hidden = OnnxRunner.Encode(onnx, ids, mask, 2);
        float[] expected = TorchEncode(model, ids, mask, 2);

        Assert.Equal("fp16", onnx.Manifest.Weights);
        Assert.InRange(MaxDifference(hidden, expected), 1e-6, 5e-2); // rounded once to fp16, so close but not equal
        Assert.True(new FileInfo(Path.Combine(folder.Path, OnnxNames.EncoderFile)).Length < EncoderBytesAsFp32(model) * 0.6);
    }

    private static void AssertParity(T5ForConditionalGeneration model, int batch, int sourceLength, int targetLength, int seed)
    {
        using var folder = TestPaths.NewTempFolder();
        T5OnnxExporter.Export(model, null, folder.Path, new OnnxExportOptions());
        using var onnx = OnnxT5Model.Load(folder.Path, threads: 1);
        (long[] ids, long[] mask) = Inputs(batch, sourceLength, model.Config.VocabSize, seed);
        (long[] decoderIds, _) = Inputs(batch, targetLength, model.Config.VocabSize, seed + 1);
        for (int b = 0; b < batch; b++)
        {
            decoderIds[b * targetLength] = model.Config.DecoderStartTokenId;
        }

        float[] hidden = OnnxRunner.Encode(onnx, ids, mask, batch);
        float[] expectedHidden = TorchEncode(model, ids, mask, batch);
        Assert.True(MaxDifference(hidden, expectedHidden) <= Tolerance, $"encoder: max |ORT - TorchSharp| = {MaxDifference(hidden, expectedHidden):E3}");

        float[] expectedLogits = TorchDecode(model, decoderIds, batch, ids, mask);
        // decoder.onnx alone over every position, and decoder.onnx on one token then the cache for the rest.
        foreach (int firstTokens in new[] { targetLength, 1 })
        {
            float[] logits = OnnxRunner.Decode(onnx, decoderIds, batch, mask, hidden, firstTokens);
            double difference = MaxDifference(logits, expectedLogits);
            Assert.True(difference <= Tolerance, $"decoder ({firstTokens} first tokens): max |ORT - TorchSharp| = {difference:E3}");
        }
    }

    private static float[] TorchEncode(T5ForConditionalGeneration model, long[] ids, long[] mask, int batch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        return model.Encode(tensor(ids).view(batch, -1), tensor(mask).view(batch, -1)).data<float>().ToArray();
    }

    private static float[] TorchDecode(T5ForConditionalGeneration model, long[] decoderIds, int batch, long[] ids, long[] mask)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        Tensor maskTensor = tensor(mask).view(batch, -1);
        Tensor encoded = model.Encode(tensor(ids).view(batch, -1), maskTensor);
        return model.Decode(tensor(decoderIds).view(batch, -1), encoded, maskTensor).data<float>().ToArray();
    }

    // Random ids in [2, vocab); row r is padded at its end by r * length / (batch + 1) positions (row 0 unpadded).
    internal static (long[] Ids, long[] Mask) Inputs(int batch, int length, int vocab, int seed)
    {
        var random = new Random(seed);
        var ids = new long[batch * length];
        var mask = new long[batch * length];
        for (int b = 0; b < batch; b++)
        {
            int real = Math.Max(1, length - (b * length / (batch + 1)));
            for (int t = 0; t < length; t++)
            {
                ids[(b * length) + t] = t < real ? random.Next(2, vocab) : 0;
                mask[(b * length) + t] = t < real ? 1 : 0;
            }
        }

        return (ids, mask);
    }

    private static double MaxDifference(float[] actual, float[] expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double max = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)actual[i] - expected[i]));
        }

        return max;
    }

    private static long EncoderBytesAsFp32(T5ForConditionalGeneration model) =>
        model.named_parameters().Where(p => p.name.StartsWith("encoder.", StringComparison.Ordinal) || p.name == "shared.weight").Sum(p => p.parameter.numel() * 4);
}
