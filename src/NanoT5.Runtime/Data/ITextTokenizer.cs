// What pretraining, fine-tuning and evaluation need from a tokenizer, in T5's id layout.
namespace NanoT5.Data;

/// <summary>
/// A tokenizer in T5's layout: pad 0, eos 1, unk 2, no bos, and sentinels <c>&lt;extra_id_N&gt;</c>
/// counted down from <see cref="Count"/> (<c>&lt;extra_id_0&gt;</c> = Count - 1).
/// </summary>
public interface ITextTokenizer
{
    /// <summary>Padding id (0); also T5's decoder start id.</summary>
    int PadId { get; }

    /// <summary>End-of-sequence id (1).</summary>
    int EosId { get; }

    /// <summary>Tokenizer length: regular pieces plus sentinels (T5: 32,100).</summary>
    int Count { get; }

    /// <summary>Model vocabulary: <see cref="Count"/> padded up to a multiple of 128 (T5: 32,128).</summary>
    int ModelVocabSize { get; }

    /// <summary>Number of sentinel tokens on top of the regular pieces (T5: 100).</summary>
    int SentinelCount { get; }

    /// <summary>Ids of <paramref name="text"/>, without eos.</summary>
    IReadOnlyList<int> Encode(string text);

    /// <summary>Text of <paramref name="ids"/>; pad and eos are skipped, decoding stops at the first eos.</summary>
    string Decode(IEnumerable<int> ids);

    /// <summary>Id of <c>&lt;extra_id_<paramref name="index"/>&gt;</c>.</summary>
    int SentinelId(int index);
}
