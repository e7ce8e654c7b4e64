using NanoT5.Finetune;
using static NanoT5.Tests.Finetune.SniFixtures;

namespace NanoT5.Tests.Finetune;

public sealed class SniBatchPlanTests
{
    private static readonly SniItem[] Items = Enumerable.Range(0, 21)
        .Select(i => new SniItem(Task(), Instance($"i{i}", $"in {i}", $"first {i}", $"second {i}")))
        .ToArray();

    private static string[] Ids(IReadOnlyList<IReadOnlyList<SniRow>> plan) => plan.SelectMany(b => b).Select(r => r.InstanceId).ToArray();

    [Fact]
    public void TrainEpoch_CoversEveryItemOnceInBatchesWithASmallerLastOne()
    {
        IReadOnlyList<IReadOnlyList<SniRow>> plan = SniBatchPlan.TrainEpoch(Items, batchSize: 8, seed: 2137, epoch: 0);

        Assert.Equal([8, 8, 5], plan.Select(b => b.Count));
        Assert.Equal(Items.Select(i => i.Instance.Id).Order(), Ids(plan).Order());
        Assert.NotEqual(Items.Select(i => i.Instance.Id), Ids(plan));
    }

    [Fact]
    public void TrainEpoch_SameSeedAndEpoch_SamePlan_OtherEpoch_OtherOrder()
    {
        IReadOnlyList<IReadOnlyList<SniRow>> first = SniBatchPlan.TrainEpoch(Items, 8, 2137, 0);

        Assert.Equal(first.SelectMany(b => b), SniBatchPlan.TrainEpoch(Items, 8, 2137, 0).SelectMany(b => b));
        Assert.NotEqual(Ids(first), Ids(SniBatchPlan.TrainEpoch(Items, 8, 2137, 1)));
        Assert.NotEqual(Ids(first), Ids(SniBatchPlan.TrainEpoch(Items, 8, 2138, 0)));
    }

    [Fact]
    public void TrainEpoch_Labels_AreDrawnFromEachInstancesOutputs()
    {
        SniRow[] rows = Enumerable.Range(0, 4).SelectMany(epoch => SniBatchPlan.TrainEpoch(Items, 8, 2137, epoch).SelectMany(b => b)).ToArray();

        Assert.All(rows, r => Assert.Contains(r.Label, r.References));
        Assert.Contains(rows, r => r.Label.StartsWith("first", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Label.StartsWith("second", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluation_KeepsTheItemOrderAndIsRepeatable()
    {
        IReadOnlyList<IReadOnlyList<SniRow>> plan = SniBatchPlan.Evaluation(Items, batchSize: 10, seed: 2137);

        Assert.Equal([10, 10, 1], plan.Select(b => b.Count));
        Assert.Equal(Items.Select(i => i.Instance.Id), Ids(plan));
        Assert.Equal(plan.SelectMany(b => b), SniBatchPlan.Evaluation(Items, 10, 2137).SelectMany(b => b));
    }
}
