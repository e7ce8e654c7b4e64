// What every tokenizer in T5's layout shares: sentinels on top of the regular ids, the padded model
// vocabulary, and decoding that stops at eos and spells sentinels as <extra_id_N>.
using System.Text;

namespace NanoT5.Data.Tokenizers;

/// <summary>Base of the project's tokenizers: subclasses supply regular ids [0, RegularCount).</summary>
public abstract class T5LayoutTokenizer : ITextTokenizer
{
    public int PadId => T5Layout.PadId;

    public int EosId => T5Layout.EosId;

    /// <summary>Regular ids (pad, eos, unk and the pieces), below the sentinels.</summary>
    public abstract int RegularCount { get; }

    public int Count => RegularCount + SentinelCount;

    public int ModelVocabSize => T5Layout.ModelVocabSize(Count);

    public int SentinelCount => T5Layout.SentinelCount;

    public abstract IReadOnlyList<int> Encode(string text);

    public int SentinelId(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, SentinelCount);
        return Count - 1 - index;
    }

    public string Decode(IEnumerable<int> ids)
    {
        var text = new StringBuilder();
        var run = new List<int>();
        foreach (int id in ids)
        {
            if (id == EosId)
            {
                break;
            }

            if (id >= RegularCount && id < Count)
            {
                Flush();
                text.Append(T5Layout.SentinelText(Count - 1 - id));
            }
            else if (id != PadId && id >= 0 && id < RegularCount)
            {
                run.Add(id);
            }

            // Ids past Count (the padding rows of the model vocabulary) have no text.
        }

        Flush();
        return text.ToString();

        void Flush()
        {
            if (run.Count > 0)
            {
                text.Append(DecodeRegular(run));
                run.Clear();
            }
        }
    }

    /// <summary>Text of regular, non-pad ids.</summary>
    protected abstract string DecodeRegular(IReadOnlyList<int> ids);
}
