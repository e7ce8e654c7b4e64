// Part of ExperimentConfig: evaluation cadence (nanoT5's eval section).
// Its setting properties are generated from the settings table (Generated/EvaluationSettings.g.cs); what is not a setting goes here.
namespace NanoT5.Config;

/// <summary>Evaluation cadence (nanoT5's eval section).</summary>
public sealed partial record EvaluationSettings;
