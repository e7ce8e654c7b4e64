// The evaluation batches of a fine-tuning run: the first eval.steps batches of the test split, collated once and
// reused by every evaluation, so the loss, the accuracy and RougeL always see the same rows.
using NanoT5.Data;

namespace NanoT5.Finetune;

/// <summary>Collated test batches (CPU tensors), disposed with this object.</summary>
public sealed class SniTestBatches : IDisposable
{
    private readonly SniBatch[] batches;

    private SniTestBatches(SniBatch[] batches) => this.batches = batches;

    /// <summary>The batches, in plan order.</summary>
    public IReadOnlyList<SniBatch> Batches => batches;

    /// <summary>Test instances in the batches.</summary>
    public int Instances => batches.Sum(b => b.Count);

    /// <summary>The first <paramref name="maxBatches"/> batches of <see cref="SniBatchPlan.Evaluation"/> over <paramref name="test"/>.</summary>
    /// <exception cref="InvalidDataException">The test split has no instance.</exception>
    public static SniTestBatches Collate(SniSplit test, SniCollator collator, int batchSize, int seed, int maxBatches)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(collator);
        if (test.Items.Count == 0)
        {
            throw new InvalidDataException("The test split has no usable instance to evaluate on (see the warnings above).");
        }

        return new SniTestBatches(SniBatchPlan.Evaluation(test.Items, batchSize, seed).Take(maxBatches).Select(collator.Collate).ToArray());
    }

    /// <summary>The batches as the evaluator takes them (sharing these tensors).</summary>
    public IEnumerable<TrainingBatch> AsTrainingBatches() => batches.Select(b => b.ToTrainingBatch());

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (SniBatch batch in batches)
        {
            batch.Dispose();
        }
    }
}
