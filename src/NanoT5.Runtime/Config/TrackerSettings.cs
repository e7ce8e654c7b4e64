// Part of ExperimentConfig: remote tracker; the token is read from an environment variable, never stored in config.
// Its setting properties are generated from the settings table (Generated/TrackerSettings.g.cs); what is not a setting goes here.
namespace NanoT5.Config;

/// <summary>Remote tracker; the token is read from an environment variable, never stored in config.</summary>
public sealed partial record TrackerSettings;
