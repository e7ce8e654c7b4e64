// Part of ExperimentConfig: logging cadence.
using NanoT5.Config.Settings;

namespace NanoT5.Config;

/// <summary>Logging cadence.</summary>
public sealed record LoggingSettings
{
    public int EverySteps { get; init; } = SettingTable.LogEvery.IntegerDefault;

    public bool GradL2 { get; init; } = SettingTable.LogGradL2.BooleanDefault;

    public bool WeightsL2 { get; init; } = SettingTable.LogWeightsL2.BooleanDefault;
}
