// Fine-tuning data as the training loop sees it: nanoT5's train DataLoader (shuffled, drop_last=False, batch
// size batch_size / grad_acc) epoch after epoch, each epoch its own seeded plan. The position is (epoch, batch),
// so a resumed run rebuilds the epoch's plan and continues with the very next batch.
using System.Text.Json;
using NanoT5.Data;

namespace NanoT5.Finetune;

/// <summary>Collated training micro-batches over a number of passes of the train split.</summary>
public sealed class SniTrainingSource : ITrainingBatchSource
{
    private readonly IReadOnlyList<SniItem> items;
    private readonly SniCollator collator;
    private readonly int batchSize;
    private readonly int seed;
    private readonly int epochs;
    private IReadOnlyList<IReadOnlyList<SniRow>>? plan;
    private Position position;

    /// <summary>
    /// A source over <paramref name="items"/> in micro-batches of <paramref name="batchSize"/> rows, ending after
    /// <paramref name="epochs"/> passes (<see cref="int.MaxValue"/>: never), continuing from <paramref name="state"/>
    /// (a <see cref="SaveState"/> result) when given.
    /// </summary>
    /// <exception cref="InvalidDataException">The state was saved for other data, batch size or seed.</exception>
    public SniTrainingSource(IReadOnlyList<SniItem> items, SniCollator collator, int batchSize, int seed, int epochs, byte[]? state = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        this.items = items;
        this.collator = collator;
        this.batchSize = batchSize;
        this.seed = seed;
        this.epochs = epochs;
        position = new Position(0, 0, items.Count, batchSize, seed);
        if (state is not null)
        {
            Position saved = JsonSerializer.Deserialize<Position>(state)
                ?? throw new InvalidDataException("The checkpoint's fine-tuning data position is empty.");
            if (saved with { Epoch = 0, Batch = 0 } != position)
            {
                throw new InvalidDataException(
                    $"The checkpoint's data position was saved for {saved.Items} training instances in batches of {saved.BatchSize} with seed {saved.Seed}; " +
                    $"this run has {items.Count}, {batchSize} and {seed}, so it cannot continue exactly. Restore the settings, or start a new run folder.");
            }

            position = saved;
        }
    }

    /// <summary>Micro-batches in one pass over the train split (the last one may be smaller).</summary>
    public int BatchesPerEpoch => (items.Count + batchSize - 1) / batchSize;

    /// <inheritdoc />
    public int Epoch => position.Epoch;

    /// <inheritdoc />
    public TrainingBatch? Next()
    {
        if (position.Epoch >= epochs || items.Count == 0)
        {
            return null;
        }

        plan ??= SniBatchPlan.TrainEpoch(items, batchSize, seed, position.Epoch);
        SniBatch batch = collator.Collate(plan[position.Batch]);
        position = position.Batch + 1 < plan.Count ? position with { Batch = position.Batch + 1 } : position with { Epoch = position.Epoch + 1, Batch = 0 };
        if (position.Batch == 0)
        {
            plan = null;
        }

        return batch.ToTrainingBatch();
    }

    /// <inheritdoc />
    public byte[] SaveState() => JsonSerializer.SerializeToUtf8Bytes(position);

    /// <inheritdoc />
    public void Dispose()
    {
        // Nothing to release: every batch belongs to the loop that took it, and plans are plain lists.
    }

    // The next batch to hand out, and what the plan depends on (checked on resume).
    private sealed record Position(int Epoch, int Batch, int Items, int BatchSize, int Seed);
}
