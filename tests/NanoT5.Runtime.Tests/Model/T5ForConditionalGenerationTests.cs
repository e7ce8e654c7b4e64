using NanoT5.Checkpoints;
using NanoT5.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace NanoT5.Tests.Model;

[Collection(TorchCollection.Name)]
public sealed class T5ForConditionalGenerationTests
{
    private static readonly T5Config Small = new()
    {
        VocabSize = 64, DModel = 32, DKv = 8, DFf = 48, NumLayers = 2, NumDecoderLayers = 3, NumHeads = 4,
    };

    [Fact]
    public void NamedParameters_MatchTheReferenceStateDictWithoutTiedAliases()
    {
        using var fixture = Verification.ParityFixtureFile.Expected();
        string[] referenceKeys = fixture.StateDictKeys.Where(k => !k.EndsWith("embed_tokens.weight", StringComparison.Ordinal)).ToArray();
        using var model = new T5ForConditionalGeneration(HfConfigFile.Load(Path.Combine(TestPaths.ParityFixture, "config.json")));

        Assert.Equal(referenceKeys, model.named_parameters().Select(p => p.name).ToArray());
    }

    [Fact]
    public void NamedParameters_OfT5V11Small_AreHuggingFacesKeysAndShapes()
    {
        using var model = new T5ForConditionalGeneration(T5Presets.Get("t5-v1_1-small"));
        string[] actual = model.named_parameters().Select(p => $"{p.name} [{string.Join(", ", p.parameter.shape)}]").ToArray();

        string[] expected = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Model", "t5-v1_1-small.keys.txt"));
        Assert.Equal(expected, actual);
        Assert.Equal(76_961_152, model.parameters().Sum(p => p.NumberOfElements));
    }

    [Fact]
    public void InitializeWeights_WithTheReferenceSeed_ReproducesTheFixtureWeightsBitExactly()
    {
        torch.manual_seed(0);
        using var model = new T5ForConditionalGeneration(HfConfigFile.Load(Path.Combine(TestPaths.ParityFixture, "config.json")));
        model.InitializeWeights();

        var expected = SafeTensorsFile.Load(Path.Combine(TestPaths.ParityFixture, "model.safetensors")).ToDictionary(t => t.Name, t => t.Tensor);
        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.True(parameter.Equals(expected[name]), $"{name} differs from the reference init");
        }
    }

    [Fact]
    public void InitializeWeights_DrawsEachMatrixWithTheRecipesStd()
    {
        torch.manual_seed(1);
        var config = T5Presets.Get("mini", vocabSize: 512);
        using var model = new T5ForConditionalGeneration(config);
        model.InitializeWeights();
        var p = model.named_parameters().ToDictionary(x => x.name, x => x.parameter);

        AssertStd(p["shared.weight"], 1.0);
        AssertStd(p["lm_head.weight"], 1.0);
        AssertStd(p["encoder.block.0.layer.0.SelfAttention.q.weight"], Math.Pow(config.DModel * config.DKv, -0.5));
        AssertStd(p["encoder.block.0.layer.0.SelfAttention.k.weight"], Math.Pow(config.DModel, -0.5));
        AssertStd(p["decoder.block.1.layer.1.EncDecAttention.o.weight"], Math.Pow(config.InnerDim, -0.5));
        AssertStd(p["decoder.block.0.layer.2.DenseReluDense.wo.weight"], Math.Pow(config.DFf, -0.5));
        AssertStd(p["encoder.block.1.layer.1.DenseReluDense.wi_1.weight"], Math.Pow(config.DModel, -0.5));
        Assert.True(p["decoder.final_layer_norm.weight"].eq(1).all().item<bool>());
    }

    [Fact]
    public void ShiftRight_StartsWithTheStartTokenAndReplacesIgnoredLabelsWithPad()
    {
        using var model = new T5ForConditionalGeneration(Small);
        using Tensor labels = tensor(new long[] { 5, 6, 7, 1, 9, 1, -100, -100 }, [2, 4]);

        using Tensor shifted = model.ShiftRight(labels);

        Assert.Equal(new long[] { 0, 5, 6, 7, 0, 9, 1, 0 }, shifted.data<long>().ToArray());
    }

    [Fact]
    public void Forward_Loss_IsTheMeanCrossEntropyOverLabelsThatAreNotIgnored()
    {
        torch.manual_seed(3);
        using var model = new T5ForConditionalGeneration(Small);
        model.InitializeWeights();
        using var scope = NewDisposeScope();
        Tensor input = randint(2, 64, [2, 7]);
        Tensor mask = ones_like(input);
        Tensor labels = tensor(new long[] { 4, 5, 6, 1, 7, 1, -100, -100 }, [2, 4]);

        Seq2SeqOutput output = model.forward(input, mask, labels);

        Tensor logProbs = output.Logits.log_softmax(-1);
        double expected = -new[] { (0, 0, 4L), (0, 1, 5L), (0, 2, 6L), (0, 3, 1L), (1, 0, 7L), (1, 1, 1L) }
            .Select(x => logProbs[x.Item1, x.Item2, x.Item3].item<float>()).Average();
        Assert.Equal(expected, output.Loss.item<float>(), 5);
    }

    [Fact]
    public void Encode_PaddedPositionsDoNotChangeTheRealTokensOutput()
    {
        torch.manual_seed(4);
        using var model = new T5ForConditionalGeneration(Small);
        model.InitializeWeights();
        using var scope = NewDisposeScope();
        Tensor real = randint(2, 64, [1, 5]);
        Tensor padded = cat([real, zeros([1, 3], dtype: ScalarType.Int64)], 1);
        Tensor paddedMask = tensor(new long[] { 1, 1, 1, 1, 1, 0, 0, 0 }, [1, 8]);

        Tensor alone = model.Encode(real, ones_like(real));
        Tensor withPad = model.Encode(padded, paddedMask)[.., ..5];

        Assert.True(alone.allclose(withPad, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void Generate_WithTheKeyValueCache_EqualsGenerationWithoutIt()
    {
        torch.manual_seed(5);
        using var model = new T5ForConditionalGeneration(Small);
        model.InitializeWeights();
        using var scope = NewDisposeScope();
        Tensor input = randint(2, 64, [3, 9]);
        Tensor mask = tensor(new long[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0 }, [3, 9]);
        input = input * mask;

        Tensor cached = GreedyGenerator.Generate(model, input, mask, maxNewTokens: 12, useCache: true);
        Tensor uncached = GreedyGenerator.Generate(model, input, mask, maxNewTokens: 12, useCache: false);

        Assert.Equal(uncached.shape, cached.shape);
        Assert.Equal(uncached.data<long>().ToArray(), cached.data<long>().ToArray());
        Assert.True(cached[.., 0].eq(0).all().item<bool>());
    }

    [Fact]
    public void Generate_AfterARowsEos_EmitsOnlyPadAndStopsWhenEveryRowEnded()
    {
        torch.manual_seed(6);
        using var model = new T5ForConditionalGeneration(Small);
        model.InitializeWeights();
        using (no_grad())
        {
            // A loud eos row: its logit dominates whenever it is positive, so every row ends early.
            model.LmHead.weight[1].mul_(50);
        }

        using var scope = NewDisposeScope();
        Tensor input = randint(2, 64, [4, 6]);
        Tensor generated = GreedyGenerator.Generate(model, input, ones_like(input), maxNewTokens: 30);

        Assert.True(generated.shape[1] < 31, "generation should stop once every row produced eos");
        for (int row = 0; row < 4; row++)
        {
            long[] ids = generated[row].data<long>().ToArray();
            int eos = Array.IndexOf(ids, 1L);
            Assert.True(eos > 0, $"row {row} produced no eos: {string.Join(" ", ids)}");
            Assert.All(ids[(eos + 1)..], id => Assert.Equal(0L, id));
        }

        Assert.Contains(1L, generated[.., -1].data<long>().ToArray());
    }

    private static void AssertStd(Tensor t, double expected)
    {
        double std = t.std().item<float>();
        Assert.InRange(std, expected * 0.9, expected * 1.1);
    }
}
