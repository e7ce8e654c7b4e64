// How nanoT5's predict() turns ids into text for RougeL: batch_decode(skip_special_tokens=True,
// clean_up_tokenization_spaces=True), then str.strip(). Applied to generated ids and to label ids alike.
using NanoT5.Data;

namespace NanoT5.Finetune;

/// <summary>Decoding of predictions and label references as nanoT5 does it.</summary>
public static class NiPredictionText
{
    /// <summary>
    /// Text of generated <paramref name="ids"/> (pad, eos and sentinels skipped, stops at the first eos), cleaned.
    /// Sentinels are special tokens to transformers (additional_special_tokens), so skip_special_tokens drops them;
    /// a model fresh from span corruption emits many.
    /// </summary>
    public static string Decode(ITextTokenizer tokenizer, IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        int firstSentinel = tokenizer.Count - tokenizer.SentinelCount;
        return Clean(tokenizer.Decode(ids.Where(id => id < firstSentinel || id >= tokenizer.Count)));
    }

    /// <summary>transformers' clean-up of tokenization spaces, then Python's strip().</summary>
    public static string Clean(string decoded) => PythonText.Strip(PythonText.CleanUpTokenization(decoded));
}
