// Part of ExperimentConfig: the tokenizer.
using NanoT5.Config.Settings;

namespace NanoT5.Config;

/// <summary>The tokenizer.</summary>
public sealed record TokenizerSettings
{
    public TokenizerKind Kind { get; init; } = SettingTable.Tokenizer.EnumDefault<TokenizerKind>();

    /// <summary>spiece.model for SentencePiece; unused for GPT-2.</summary>
    public string? Path { get; init; }
}
