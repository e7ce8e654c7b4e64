// A randomly initialised model never emits eos; generation tests need one that sometimes does.
using NanoT5.Model;
using static TorchSharp.torch;

namespace NanoT5.Tests.Export;

internal static class EndingModel
{
    /// <summary>
    /// Makes lm_head's eos row a copy of the row of the model's most frequent greedy token, 1% larger: eos then wins
    /// wherever that token would, so some rows end early and others run to the limit.
    /// </summary>
    public static void MakeEosCompete(T5ForConditionalGeneration model, int vocabularyForInputs)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(3);
        Tensor ids = randint(2, vocabularyForInputs, [8, 24]);
        Tensor generated = GreedyGenerator.Generate(model, ids, ones_like(ids), 16);
        long frequent = generated[.., 1..].flatten().bincount(null, 0).argmax().item<long>();
        Tensor weight = model.LmHead.weight;
        weight[model.Config.EosTokenId].copy_(weight[frequent] * 1.01f);
    }
}
