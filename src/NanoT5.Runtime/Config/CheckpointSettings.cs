// Part of ExperimentConfig: checkpoint cadence and resume.
// Its setting properties are generated from the settings table (Generated/CheckpointSettings.g.cs); what is not a setting goes here.
namespace NanoT5.Config;

/// <summary>Checkpoint cadence and resume.</summary>
public sealed partial record CheckpointSettings;
