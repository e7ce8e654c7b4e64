// Part of ExperimentConfig: logging cadence.
// Its setting properties are generated from the settings table (Generated/LoggingSettings.g.cs); what is not a setting goes here.
namespace NanoT5.Config;

/// <summary>Logging cadence.</summary>
public sealed partial record LoggingSettings;
