using NanoT5.Config;
using NanoT5.Data;
using NanoT5.Finetune;
using NanoT5.Runs;
using static NanoT5.Tests.Finetune.SniFixtures;

namespace NanoT5.Tests.Finetune;

[Collection(TorchCollection.Name)]
public sealed class SniTrainingSourceTests
{
    private static readonly SniItem[] Items = Enumerable.Range(0, 10)
        .Select(i => new SniItem(Task(), Instance($"i{i}", $"in {i}", $"first {i}", $"second {i}")))
        .ToArray();

    private static readonly SniCollator Collator = new(new CharTokenizer(), new FinetuneSettings { AddTaskDefinition = false, NumPositiveExamples = 0 });

    private static long[] Ids(TrainingBatch batch)
    {
        using (batch)
        {
            return [.. batch.InputIds.data<long>(), -1, .. batch.Labels.data<long>()];
        }
    }

    private static long[] Expected(int epoch, int batch)
    {
        using SniBatch expected = Collator.Collate(SniBatchPlan.TrainEpoch(Items, 4, 2137, epoch)[batch]);
        return Ids(expected.ToTrainingBatch());
    }

    [Fact]
    public void Next_TwoEpochs_HandsOutEachEpochsSeededPlanInOrderThenEnds()
    {
        using var source = new SniTrainingSource(Items, Collator, batchSize: 4, seed: 2137, epochs: 2);

        var epochs = new List<int>();
        for (int epoch = 0; epoch < 2; epoch++)
        {
            for (int batch = 0; batch < 3; batch++)
            {
                Assert.Equal(Expected(epoch, batch), Ids(source.Next()!));
                epochs.Add(source.Epoch);
            }
        }

        Assert.Equal(3, source.BatchesPerEpoch);
        Assert.Equal([0, 0, 1, 1, 1, 2], epochs);
        Assert.Null(source.Next());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)] // the state after an epoch's last batch
    [InlineData(4)]
    public void SaveState_RestoredIntoANewSource_ContinuesWithTheVeryNextBatch(int taken)
    {
        using var first = new SniTrainingSource(Items, Collator, 4, 2137, epochs: 2);
        for (int i = 0; i < taken; i++)
        {
            first.Next()!.Dispose();
        }

        using var resumed = new SniTrainingSource(Items, Collator, 4, 2137, epochs: 2, first.SaveState());

        Assert.Equal(first.Epoch, resumed.Epoch);
        for (int i = taken; i < 6; i++)
        {
            Assert.Equal(Expected(i / 3, i % 3), Ids(resumed.Next()!));
        }

        Assert.Null(resumed.Next());
    }

    [Fact]
    public void Constructor_StateSavedForAnotherBatchSize_SaysItCannotContinueExactly()
    {
        using var other = new SniTrainingSource(Items, Collator, 5, 2137, epochs: 2);

        var e = Assert.Throws<InvalidDataException>(() => new SniTrainingSource(Items, Collator, 4, 2137, 2, other.SaveState()));

        Assert.Equal(
            "The checkpoint's data position was saved for 10 training instances in batches of 5 with seed 2137; this run has 10, 4 and 2137, " +
            "so it cannot continue exactly. Restore the settings, or start a new run folder.",
            e.Message);
    }

    [Theory]
    [InlineData(2, 1, 25, 50)]
    [InlineData(2, 2, 25, 24)] // nanoT5: epochs x (len(train_dataloader) // grad_acc)
    [InlineData(0, 1, 25, 77)] // no epochs: optim.total_steps
    public void TotalSteps_FollowsEpochsTimesWholeStepsPerEpoch(int epochs, int gradAcc, int batchesPerEpoch, long expected) =>
        Assert.Equal(expected, FinetuningRun.TotalSteps(new OptimizerSettings { Epochs = epochs, GradAcc = gradAcc, TotalSteps = 77 }, batchesPerEpoch));

    [Fact]
    public void TotalSteps_FewerBatchesThanGradAcc_SaysWhy()
    {
        var e = Assert.Throws<InvalidDataException>(() => FinetuningRun.TotalSteps(new OptimizerSettings { Epochs = 2, GradAcc = 4, BatchSize = 8 }, 3));

        Assert.Contains("an epoch has 3 micro-batches, fewer than optim.grad_acc (4)", e.Message, StringComparison.Ordinal);
    }
}
