// Part of ExperimentConfig: optimizer and schedule (nanoT5's optim section).
namespace NanoT5.Config;

/// <summary>Optimizer and schedule (nanoT5's optim section).</summary>
public sealed record OptimizerSettings
{
    public OptimizerKind Name { get; init; } = OptimizerKind.AdamWScale;

    public double BaseLr { get; init; } = 2e-2;

    /// <summary>Rows per optimizer step (micro-batch = batch / grad_acc).</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Micro-batches accumulated per optimizer step.</summary>
    public int GradAcc { get; init; } = 1;

    /// <summary>Optimizer steps; replaced by epochs x steps per epoch when <see cref="Epochs"/> &gt; 0.</summary>
    public int TotalSteps { get; init; } = 65_536;

    /// <summary>Passes over a finite dataset (fine-tuning); 0 = use total steps.</summary>
    public int Epochs { get; init; }

    public int WarmupSteps { get; init; } = 10_000;

    public ScheduleKind Schedule { get; init; } = ScheduleKind.Cosine;

    /// <summary>Learning rate the cosine schedule ends at.</summary>
    public double FinalCosine { get; init; } = 1e-5;

    public double WeightDecay { get; init; }

    /// <summary>Global L2 clipping norm; 0 disables clipping.</summary>
    public double GradClip { get; init; } = 1.0;

    /// <summary>
    /// Steps with a non-finite loss or gradient norm are skipped; this many in a row stop the run
    /// (the weights are diverging, and a 16 h run should not burn its budget on NaNs).
    /// </summary>
    public int MaxConsecutiveSkippedSteps { get; init; } = 10;
}
