// What transformers 4.30's T5TokenizerFast (the tokenizer nanoT5 fine-tunes and evaluates with) does differently from
// SentencePiece itself: its normalizer collapses whitespace runs to one space but keeps a trailing one, and its
// Metaspace pre-tokenizer turns that space into a word of its own, the lone "▁" piece
// (huggingface/tokenizers#1250: '   space   ' -> [628, 3, 1] for t5-v1_1). Every SNI source ends in "Output: ", so
// every fine-tuning input carries that extra piece before eos. SentencePiece (and this project's tokenizers) drop
// trailing whitespace instead.
namespace NanoT5.Data.Tokenizers;

/// <summary>A tokenizer encoding as HF's T5TokenizerFast: a text ending in whitespace gets the lone "▁" piece.</summary>
public sealed class HfT5TokenizerFast : ITextTokenizer
{
    private readonly ITextTokenizer inner;

    private HfT5TokenizerFast(ITextTokenizer inner, int loneSpaceId)
    {
        this.inner = inner;
        LoneSpaceId = loneSpaceId;
    }

    /// <summary>Id of the lone "▁" piece (t5-v1_1: 3).</summary>
    public int LoneSpaceId { get; }

    public int PadId => inner.PadId;

    public int EosId => inner.EosId;

    public int Count => inner.Count;

    public int ModelVocabSize => inner.ModelVocabSize;

    public int SentinelCount => inner.SentinelCount;

    /// <summary>
    /// <paramref name="tokenizer"/> wrapped when it is a SentencePiece model with a lone "▁" piece (what HF converts to
    /// T5TokenizerFast); otherwise itself: GPT-2's byte-level BPE already encodes a trailing space.
    /// </summary>
    public static ITextTokenizer Wrap(ITextTokenizer tokenizer) =>
        tokenizer is SentencePieceT5Tokenizer sentencePiece && sentencePiece.PieceId("\u2581") is int id ? new HfT5TokenizerFast(tokenizer, id) : tokenizer;

    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        IReadOnlyList<int> ids = inner.Encode(text);
        // nmt_nfkc maps tabs and line breaks to spaces too; a text of only whitespace becomes the lone piece alone.
        return text.Length > 0 && char.IsWhiteSpace(text[^1]) ? [.. ids, LoneSpaceId] : ids;
    }

    public string Decode(IEnumerable<int> ids) => inner.Decode(ids);

    public int SentinelId(int index) => inner.SentinelId(index);
}
