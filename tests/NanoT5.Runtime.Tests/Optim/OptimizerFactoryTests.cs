using NanoT5.Config;
using NanoT5.Model;
using NanoT5.Optim;

namespace NanoT5.Tests.Optim;

[Collection(TorchCollection.Name)]
public sealed class OptimizerFactoryTests
{
    [Theory]
    [InlineData("encoder.block.0.layer.0.layer_norm.weight", true)]
    [InlineData("decoder.final_layer_norm.weight", true)]
    [InlineData("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight", true)]
    [InlineData("encoder.block.0.layer.0.SelfAttention.q.weight", false)]
    [InlineData("decoder.block.1.layer.2.DenseReluDense.wo.weight", false)]
    [InlineData("shared.weight", false)]
    [InlineData("lm_head.weight", false)]
    public void IsNoDecay_MatchesNanoT5sSubstringRule(string name, bool expected)
    {
        Assert.Equal(expected, OptimizerFactory.IsNoDecay(name));
    }

    [Theory]
    [InlineData(OptimizerKind.AdamWScale, typeof(AdamWScale))]
    [InlineData(OptimizerKind.AdamW, typeof(AdamWScale))]
    [InlineData(OptimizerKind.Adafactor, typeof(Adafactor))]
    public void Create_GivesEachParameterItsGroupsWeightDecay(OptimizerKind kind, Type expectedType)
    {
        using var model = new T5ForConditionalGeneration(T5Presets.Get("mini", vocabSize: 256));

        using var optimizer = OptimizerFactory.Create(new OptimizerSettings { Name = kind, WeightDecay = 0.1 }, model.named_parameters());

        Assert.IsType(expectedType, optimizer);
        Assert.Equal(model.named_parameters().Count(), optimizer.Parameters.Count);
        Assert.All(optimizer.Parameters, p => Assert.Equal(OptimizerFactory.IsNoDecay(p.Name) ? 0.0 : 0.1, p.WeightDecay));
    }
}
