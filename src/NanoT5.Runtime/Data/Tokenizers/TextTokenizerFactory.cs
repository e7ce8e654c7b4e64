// Builds the experiment's tokenizer from its settings.
using NanoT5.Config;

namespace NanoT5.Data.Tokenizers;

/// <summary>The tokenizer of <see cref="TokenizerSettings"/>.</summary>
public static class TextTokenizerFactory
{
    /// <summary>
    /// A SentencePiece model from <see cref="TokenizerSettings.Path"/> (relative paths against
    /// <paramref name="baseDirectory"/>, default the current folder), or GPT-2's BPE in T5's layout.
    /// Throws <see cref="FileNotFoundException"/> or <see cref="InvalidDataException"/> naming the file.
    /// </summary>
    public static T5LayoutTokenizer Create(TokenizerSettings settings, string? baseDirectory = null) => settings.Kind switch
    {
        TokenizerKind.SentencePiece => SentencePieceT5Tokenizer.Load(ResolvePath(settings, baseDirectory)),
        TokenizerKind.Gpt2 => new Gpt2T5Tokenizer(),
        _ => throw new ArgumentException($"tokenizer.kind: unknown tokenizer '{settings.Kind}' (known: sentencepiece, gpt2)"),
    };

    private static string ResolvePath(TokenizerSettings settings, string? baseDirectory)
    {
        if (string.IsNullOrWhiteSpace(settings.Path))
        {
            throw new ArgumentException("tokenizer.path: a SentencePiece tokenizer needs the path of its spiece.model");
        }

        return Path.GetFullPath(settings.Path, baseDirectory ?? Directory.GetCurrentDirectory());
    }
}
