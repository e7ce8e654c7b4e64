// One collated batch of fine-tuning rows: the tensors the model takes, and per row what predict and the RougeL
// report need (task, category, id, every reference, the reference the label was made from).
using NanoT5.Data;
using static TorchSharp.torch;

namespace NanoT5.Finetune;

/// <summary>An instance in a batch with the reference drawn for its training label.</summary>
public sealed record SniRow(SniItem Item, string Label)
{
    /// <summary>Task name.</summary>
    public string Task => Item.Task.Name;

    /// <summary>Task category (its first category).</summary>
    public string Category => Item.Task.Category;

    /// <summary>Instance id.</summary>
    public string InstanceId => Item.Instance.Id;

    /// <summary>Every acceptable output of the instance (the SNI metric takes the best).</summary>
    public IReadOnlyList<string> References => Item.Instance.Outputs;
}

/// <summary>
/// CPU int64 tensors: <see cref="InputIds"/> and <see cref="AttentionMask"/> (B, S), <see cref="Labels"/> (B, T)
/// with -100 on padding; S and T are the longest row rounded up to a multiple of 8. Dispose it after the step.
/// </summary>
public sealed class SniBatch(Tensor inputIds, Tensor attentionMask, Tensor labels, IReadOnlyList<SniRow> rows, IReadOnlyList<string> labelReferences)
    : IDisposable
{
    /// <summary>Encoder input ids, pad 0 (B, S).</summary>
    public Tensor InputIds { get; } = inputIds;

    /// <summary>1 on tokens, 0 on padding (B, S).</summary>
    public Tensor AttentionMask { get; } = attentionMask;

    /// <summary>Label ids ending in eos, -100 on padding (B, T).</summary>
    public Tensor Labels { get; } = labels;

    /// <summary>The rows, in batch order.</summary>
    public IReadOnlyList<SniRow> Rows { get; } = rows;

    /// <summary>
    /// nanoT5's single reference per row: the label ids decoded back to text (so cut to the max target length)
    /// and cleaned like a prediction. nanoT5's reported RougeL compares predictions with these.
    /// </summary>
    public IReadOnlyList<string> LabelReferences { get; } = labelReferences;

    /// <summary>Number of rows.</summary>
    public int Count => Rows.Count;

    /// <summary>The tensors as the training loop and the evaluator take them (the same tensors: dispose one of the two).</summary>
    public TrainingBatch ToTrainingBatch() => new(InputIds, AttentionMask, Labels);

    /// <summary>Moves the tensors to the outer dispose scope (use inside a step scope that must not free them).</summary>
    public void MoveToOuterDisposeScope()
    {
        InputIds.MoveToOuterDisposeScope();
        AttentionMask.MoveToOuterDisposeScope();
        Labels.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
        Labels.Dispose();
    }
}
