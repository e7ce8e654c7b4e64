// Part of ExperimentConfig: optimizer and schedule (nanoT5's optim section).
using NanoT5.Config.Settings;

namespace NanoT5.Config;

/// <summary>Optimizer and schedule (nanoT5's optim section).</summary>
public sealed record OptimizerSettings
{
    public OptimizerKind Name { get; init; } = SettingTable.Optimizer.EnumDefault<OptimizerKind>();

    public double BaseLr { get; init; } = SettingTable.LearningRate.NumberDefault;

    /// <summary>Rows per optimizer step (micro-batch = batch / grad_acc).</summary>
    public int BatchSize { get; init; } = SettingTable.BatchSize.IntegerDefault;

    /// <summary>Micro-batches accumulated per optimizer step.</summary>
    public int GradAcc { get; init; } = SettingTable.GradAcc.IntegerDefault;

    /// <summary>Optimizer steps; replaced by epochs x steps per epoch when <see cref="Epochs"/> &gt; 0.</summary>
    public int TotalSteps { get; init; } = SettingTable.TotalSteps.IntegerDefault;

    /// <summary>Passes over a finite dataset (fine-tuning); 0 = use total steps.</summary>
    public int Epochs { get; init; } = SettingTable.Epochs.IntegerDefault;

    public int WarmupSteps { get; init; } = SettingTable.WarmupSteps.IntegerDefault;

    public ScheduleKind Schedule { get; init; } = SettingTable.Schedule.EnumDefault<ScheduleKind>();

    /// <summary>Learning rate the cosine schedule ends at.</summary>
    public double FinalCosine { get; init; } = SettingTable.FinalCosine.NumberDefault;

    public double WeightDecay { get; init; } = SettingTable.WeightDecay.NumberDefault;

    /// <summary>Global L2 clipping norm; 0 disables clipping.</summary>
    public double GradClip { get; init; } = SettingTable.GradClip.NumberDefault;

    /// <summary>
    /// Steps with a non-finite loss or gradient norm are skipped; this many in a row stop the run
    /// (the weights are diverging, and a 16 h run should not burn its budget on NaNs).
    /// </summary>
    public int MaxConsecutiveSkippedSteps { get; init; } = SettingTable.MaxSkippedSteps.IntegerDefault;
}
