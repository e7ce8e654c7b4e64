// Evaluation data: the first N batches of the validation stream (source order, fixed masks), produced
// afresh for every evaluation so nothing large stays in memory, and identical every time.
using NanoT5.Config;
using NanoT5.Data.Sources;

namespace NanoT5.Data.Pipeline;

/// <summary>A finite, repeatable set of validation batches.</summary>
public sealed class ValidationBatches
{
    private readonly PipelineOptions options;
    private readonly ITextTokenizer tokenizer;
    private readonly IDataWarningSink warnings;

    public ValidationBatches(PipelineOptions options, ITextTokenizer tokenizer, IDataWarningSink warnings, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        this.options = options;
        this.tokenizer = tokenizer;
        this.warnings = warnings;
        Count = count;
    }

    /// <summary>Batches per evaluation.</summary>
    public int Count { get; }

    /// <summary><paramref name="config"/>'s validation data, eval.steps x grad_acc micro-batches (sources resolved now).</summary>
    public static ValidationBatches ForEvaluation(ExperimentConfig config, ITextTokenizer tokenizer, IDataWarningSink warnings, string? baseDirectory = null) =>
        new(PipelineOptions.ForValidation(config, baseDirectory), tokenizer, warnings, config.EvalMicroBatches());

    /// <summary>
    /// The <see cref="Count"/> batches, the same on every call; the caller disposes each. Validation data
    /// shorter than <see cref="Count"/> batches is read again from its start (with new masks).
    /// </summary>
    public IEnumerable<PretrainingBatch> Batches()
    {
        using var pipeline = new PretrainingPipeline(options, tokenizer, warnings);
        for (int i = 0; i < Count; i++)
        {
            yield return pipeline.Next();
        }
    }
}
