// Part of ExperimentConfig: evaluation cadence (nanoT5's eval section).
using NanoT5.Config.Settings;

namespace NanoT5.Config;

/// <summary>Evaluation cadence (nanoT5's eval section).</summary>
public sealed record EvaluationSettings
{
    /// <summary>Evaluate every N optimizer steps (and always at the end).</summary>
    public int EverySteps { get; init; } = SettingTable.EvalEvery.IntegerDefault;

    /// <summary>Validation batches per evaluation.</summary>
    public int Steps { get; init; } = SettingTable.EvalSteps.IntegerDefault;

    /// <summary>
    /// Also evaluate before the first step of a run that starts at step 0 (nanoT5: no). Fine-tuning uses it to show
    /// the starting model's RougeL, so the rise is measured against something.
    /// </summary>
    public bool AtStart { get; init; } = SettingTable.EvalAtStart.BooleanDefault;
}
