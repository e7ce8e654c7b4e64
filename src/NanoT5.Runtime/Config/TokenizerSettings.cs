// Part of ExperimentConfig: the tokenizer.
// Its setting properties are generated from the settings table (Generated/TokenizerSettings.g.cs); what is not a setting goes here.
namespace NanoT5.Config;

/// <summary>The tokenizer.</summary>
public sealed partial record TokenizerSettings;
