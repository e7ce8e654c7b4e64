// Part of ExperimentConfig: pretraining data and span corruption (nanoT5's data section).
// Its setting properties are generated from the settings table (Generated/DataSettings.g.cs); what is not a setting goes here.
namespace NanoT5.Config;

/// <summary>Pretraining data and span corruption (nanoT5's data section).</summary>
public sealed partial record DataSettings;
