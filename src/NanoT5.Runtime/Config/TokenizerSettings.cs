// Part of ExperimentConfig: the tokenizer.
namespace NanoT5.Config;

/// <summary>The tokenizer.</summary>
public sealed record TokenizerSettings
{
    public TokenizerKind Kind { get; init; } = TokenizerKind.SentencePiece;

    /// <summary>spiece.model for SentencePiece; unused for GPT-2.</summary>
    public string? Path { get; init; }
}
