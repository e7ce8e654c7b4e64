// Part of ExperimentConfig: optimizer and schedule (nanoT5's optim section).
// Its setting properties are generated from the settings table (Generated/OptimizerSettings.g.cs); what is not a setting goes here.
namespace NanoT5.Config;

/// <summary>Optimizer and schedule (nanoT5's optim section).</summary>
public sealed partial record OptimizerSettings;
