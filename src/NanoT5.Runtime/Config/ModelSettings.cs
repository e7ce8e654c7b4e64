// Part of ExperimentConfig: which model to build and where its weights come from.
// Its setting properties are generated from the settings table (Generated/ModelSettings.g.cs); what is not a setting goes here.
namespace NanoT5.Config;

/// <summary>Which model to build and where its weights come from.</summary>
public sealed partial record ModelSettings;
