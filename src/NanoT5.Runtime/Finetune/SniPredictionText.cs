// How nanoT5's predict() turns ids into text for RougeL: batch_decode(skip_special_tokens=True,
// clean_up_tokenization_spaces=True), then str.strip(). Applied to generated ids and to label ids alike.
using NanoT5.Data;
using NanoT5.Data.Tokenizers;

namespace NanoT5.Finetune;

/// <summary>Decoding of predictions and label references as nanoT5 does it.</summary>
public static class SniPredictionText
{
    /// <summary>
    /// Text of generated <paramref name="ids"/> (pad, eos, unk and sentinels skipped, stops at the first eos), cleaned.
    /// skip_special_tokens drops every special token of T5TokenizerFast: pad, eos, unk and the sentinels
    /// (additional_special_tokens; a model fresh from span corruption emits many). Generation pads everything after
    /// a row's first eos, so stopping there is what skipping eos gives.
    /// </summary>
    public static string Decode(ITextTokenizer tokenizer, IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        int firstSentinel = tokenizer.Count - tokenizer.SentinelCount;
        return Clean(tokenizer.Decode(ids.Where(id => id != T5Layout.UnkId && (id < firstSentinel || id >= tokenizer.Count))));
    }

    /// <summary>transformers' clean-up of tokenization spaces, then Python's strip().</summary>
    public static string Clean(string decoded) => TextCleanup.Strip(TextCleanup.CleanUpTokenization(decoded));
}
