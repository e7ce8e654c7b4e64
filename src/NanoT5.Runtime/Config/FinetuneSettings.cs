// Part of ExperimentConfig: super-Natural Instructions fine-tuning data (nanoT5's task/ft.yaml).
// Its setting properties are generated from the settings table (Generated/FinetuneSettings.g.cs); what is not a setting goes here.
namespace NanoT5.Config;

/// <summary>Super-Natural Instructions fine-tuning data (nanoT5's task/ft.yaml).</summary>
public sealed partial record FinetuneSettings
{
    /// <summary>New tokens a prediction may have.</summary>
    public int MaxNewTokens() => MatchHfTokenizer ? Math.Max(1, MaxTargetLength - 1) : MaxTargetLength;
}
