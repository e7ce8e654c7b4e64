// Part of ExperimentConfig: checkpoint cadence and resume.
using NanoT5.Config.Settings;

namespace NanoT5.Config;

/// <summary>Checkpoint cadence and resume.</summary>
public sealed record CheckpointSettings
{
    /// <summary>Checkpoint every N optimizer steps (and always at the end).</summary>
    public int EverySteps { get; init; } = SettingTable.CheckpointEvery.IntegerDefault;

    /// <summary>Checkpoints kept; older ones are deleted after a newer one is complete.</summary>
    public int KeepLast { get; init; } = SettingTable.KeepLast.IntegerDefault;

    /// <summary>Continue from the run folder's latest checkpoint (only with the settings the run was started with: RunIdentity); false starts the run over, deleting the earlier one.</summary>
    public bool Resume { get; init; } = SettingTable.Resume.BooleanDefault;
}
