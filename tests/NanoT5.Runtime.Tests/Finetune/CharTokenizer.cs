// A deterministic test tokenizer: one id per UTF-16 character (id = char + 3), T5's special ids, so token counts
// equal string lengths and decoding is exact.
using NanoT5.Data;

namespace NanoT5.Tests.Finetune;

internal sealed class CharTokenizer : ITextTokenizer
{
    private const int Offset = 3;

    public int PadId => 0;

    public int EosId => 1;

    public int Count => Offset + 65_536 + SentinelCount;

    public int ModelVocabSize => (Count + 127) / 128 * 128;

    public int SentinelCount => 100;

    public IReadOnlyList<int> Encode(string text) => text.Select(c => c + Offset).ToArray();

    public string Decode(IEnumerable<int> ids) =>
        new(ids.TakeWhile(id => id != EosId).Where(id => id >= Offset && id < Offset + 65_536).Select(id => (char)(id - Offset)).ToArray());

    public int SentinelId(int index) => Count - 1 - index;
}
