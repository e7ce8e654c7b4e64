// Part of ExperimentConfig: logging cadence.
namespace NanoT5.Config;

/// <summary>Logging cadence.</summary>
public sealed record LoggingSettings
{
    public int EverySteps { get; init; } = 100;

    public bool GradL2 { get; init; } = true;

    public bool WeightsL2 { get; init; } = true;
}
