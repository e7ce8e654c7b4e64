// T5's id layout, shared by every tokenizer of the project (see ITextTokenizer).
namespace NanoT5.Data.Tokenizers;

/// <summary>pad 0, eos 1, unk 2, no bos, 100 sentinels counted down from the tokenizer length, vocab padded to 128.</summary>
public static class T5Layout
{
    public const int PadId = 0;

    public const int EosId = 1;

    public const int UnkId = 2;

    /// <summary>T5's extra_ids.</summary>
    public const int SentinelCount = 100;

    /// <summary>T5 pads its embedding matrix to a multiple of 128 (32,100 → 32,128) for fast matmuls.</summary>
    public const int VocabMultiple = 128;

    /// <summary><paramref name="count"/> rounded up to a multiple of <see cref="VocabMultiple"/>.</summary>
    public static int ModelVocabSize(int count) => (count + VocabMultiple - 1) / VocabMultiple * VocabMultiple;

    /// <summary>The text T5 tokenizers use for sentinel <paramref name="index"/>.</summary>
    public static string SentinelText(int index) => $"<extra_id_{index}>";
}
