// Part of ExperimentConfig: super-Natural Instructions fine-tuning data (nanoT5's task/ft.yaml).
using NanoT5.Config.Settings;

namespace NanoT5.Config;

/// <summary>Super-Natural Instructions fine-tuning data (nanoT5's task/ft.yaml).</summary>
public sealed record FinetuneSettings
{
    /// <summary>natural-instructions root (holds splits/ and tasks/), or builtin:demo.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Split folder under the root.</summary>
    public string Split { get; init; } = SettingTable.FinetuneSplit.DefaultText;

    /// <summary>Instances kept per task after the seeded shuffle (nanoT5: 100, for train and test tasks alike).</summary>
    public int MaxInstancesPerTask { get; init; } = SettingTable.MaxInstancesPerTask.IntegerDefault;

    /// <summary>Encoder tokens per prompt, eos included (nanoT5: 1024); examples are dropped, then the prompt cut, to fit.</summary>
    public int MaxSourceLength { get; init; } = SettingTable.MaxSourceLength.IntegerDefault;

    /// <summary>Label tokens, eos included (nanoT5: 128); also the greedy generation limit.</summary>
    public int MaxTargetLength { get; init; } = SettingTable.MaxTargetLength.IntegerDefault;

    /// <summary>Start the prompt with "task_name. " (nanoT5: off).</summary>
    public bool AddTaskName { get; init; } = SettingTable.AddTaskName.BooleanDefault;

    /// <summary>Put "Definition: ..." in the prompt (nanoT5: on; the instruction is what makes transfer to unseen tasks possible).</summary>
    public bool AddTaskDefinition { get; init; } = SettingTable.AddTaskDefinition.BooleanDefault;

    /// <summary>Positive examples shown in the prompt while they fit (nanoT5: 2).</summary>
    public int NumPositiveExamples { get; init; } = SettingTable.PositiveExamples.IntegerDefault;

    /// <summary>Negative examples shown after the positive ones while they fit (nanoT5: 0; Tk-Instruct found they do not help).</summary>
    public int NumNegativeExamples { get; init; } = SettingTable.NegativeExamples.IntegerDefault;

    /// <summary>Add each shown example's explanation (nanoT5: off).</summary>
    public bool AddExplanation { get; init; } = SettingTable.AddExplanation.BooleanDefault;

    /// <summary>Stop on the first malformed instance instead of skipping it with a warning.</summary>
    public bool StrictData { get; init; } = SettingTable.StrictData.BooleanDefault;

    /// <summary>
    /// Tokenize and generate as nanoT5's HF stack does (transformers 4.30 T5TokenizerFast and generate): a text ending in
    /// whitespace gets the lone "▁" piece before eos (every SNI source ends in "Output: "), and generate(max_length =
    /// max_target_length) yields at most max_target_length - 1 new tokens. false = SentencePiece's own encoding and
    /// max_target_length new tokens.
    /// </summary>
    public bool MatchHfTokenizer { get; init; } = SettingTable.MatchHfTokenizer.BooleanDefault;

    /// <summary>New tokens a prediction may have.</summary>
    public int MaxNewTokens() => MatchHfTokenizer ? Math.Max(1, MaxTargetLength - 1) : MaxTargetLength;
}
