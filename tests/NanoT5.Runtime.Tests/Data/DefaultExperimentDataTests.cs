using NanoT5.Config;
using NanoT5.Data.Pipeline;
using NanoT5.Data.Tokenizers;

namespace NanoT5.Tests.Data;

// The default experiment's data path end to end: built-in corpus, GPT-2 tokenizer in T5's layout, no network.
[Collection(TorchCollection.Name)]
public sealed class DefaultExperimentDataTests
{
    private static readonly ExperimentConfig Config = new()
    {
        Tokenizer = new TokenizerSettings { Kind = TokenizerKind.Gpt2 },
        Optim = new OptimizerSettings { BatchSize = 8 },
        Eval = new EvaluationSettings { Steps = 2 },
        Data = new DataSettings { TrainSources = ["builtin:dotnet-docs"], InputLength = 128, ShuffleBuffer = 64, Workers = 2 },
    };

    [Fact]
    public void BuiltInCorpusWithGpt2_GivesTrainingAndValidationBatchesOfEnglish()
    {
        T5LayoutTokenizer tokenizer = TextTokenizerFactory.Create(Config.Tokenizer);
        var warnings = new CollectingSink();

        using var train = PretrainingPipeline.ForTraining(Config, tokenizer, warnings);
        using PretrainingBatch batch = train.Next();
        var validation = ValidationBatches.ForEvaluation(Config, tokenizer, warnings);
        long[][] first = validation.Batches().Select(b => { using (b) { return b.InputIds.data<long>().ToArray(); } }).ToArray();

        Assert.Equal([8L, 128L], batch.InputIds.shape);
        Assert.Equal([8L, 29L], batch.Labels.shape);
        // Documents are followed by eos (decoding stops at one): decode what lies between them.
        int[] ids = [.. batch.InputIds[0].data<long>().ToArray().Select(id => (int)id)];
        string text = string.Join("</s>", SplitAtEos(ids, tokenizer.EosId).Select(tokenizer.Decode));
        Assert.True(ids.AsSpan(0, ids.Length - 1).Contains(tokenizer.EosId), "no document ends inside a row of 128 tokens");
        Assert.Contains("<extra_id_0>", text, StringComparison.Ordinal);
        Assert.Contains(" the ", text, StringComparison.Ordinal);
        Assert.Equal(2, first.Length);
        Assert.All(first, ids => Assert.Equal(8 * 128, ids.Length));
        Assert.Empty(warnings.Warnings);
    }

    private static IEnumerable<int[]> SplitAtEos(int[] ids, int eos)
    {
        int start = 0;
        for (int i = 0; i <= ids.Length; i++)
        {
            if (i == ids.Length || ids[i] == eos)
            {
                yield return ids[start..i];
                start = i + 1;
            }
        }
    }
}
