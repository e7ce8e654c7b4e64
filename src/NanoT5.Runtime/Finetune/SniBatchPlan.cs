// Which rows go into which batch, decided without tokenizing anything: a training epoch is a seeded
// permutation of the train items (nanoT5's DataLoader(shuffle=True), drop_last=False) and every row draws one of
// its references (random.choice in the collator); evaluation keeps the item order. Cheap, so a resumed run can
// rebuild an epoch's plan and skip the batches it has done.
namespace NanoT5.Finetune;

/// <summary>Batch plans for training epochs and for evaluation / prediction.</summary>
public static class SniBatchPlan
{
    /// <summary>
    /// The batches of training epoch <paramref name="epoch"/> (0-based): items shuffled and references drawn with a
    /// random source seeded from (<paramref name="seed"/>, <paramref name="epoch"/>); the last batch may be smaller.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<SniRow>> TrainEpoch(IReadOnlyList<SniItem> items, int batchSize, int seed, int epoch)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var random = new Random(EpochSeed(seed, epoch));
        SniItem[] order = [.. items];
        SniReader.Shuffle(order, random);
        return Chunk(order, batchSize, random);
    }

    /// <summary>
    /// The batches for evaluation loss and prediction: items in order; each row's label reference (used by the
    /// eval loss and nanoT5's single-reference RougeL) drawn with a random source seeded by <paramref name="seed"/>.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<SniRow>> Evaluation(IReadOnlyList<SniItem> items, int batchSize, int seed)
    {
        ArgumentNullException.ThrowIfNull(items);
        return Chunk(items, batchSize, new Random(EpochSeed(seed, -1)));
    }

    private static List<IReadOnlyList<SniRow>> Chunk(IReadOnlyList<SniItem> items, int batchSize, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var batches = new List<IReadOnlyList<SniRow>>();
        for (int start = 0; start < items.Count; start += batchSize)
        {
            batches.Add(items.Skip(start).Take(batchSize).Select(item => Draw(item, random)).ToArray());
        }

        return batches;
    }

    private static SniRow Draw(SniItem item, Random random)
    {
        IReadOnlyList<string> outputs = item.Instance.Outputs;
        return new SniRow(item, outputs[random.Next(outputs.Count)]);
    }

    // Distinct, stable seeds per epoch (System.Random(int) is stable across .NET versions; string hashes are not).
    private static int EpochSeed(int seed, int epoch) => unchecked((seed * 1_000_003) + epoch + 1);
}
