// The few Python string rules the reference prompt and decoding depend on, so prompts and predictions match
// character for character: str.strip() (Python's whitespace set, wider than .NET's), `c in string.punctuation`,
// and transformers' clean_up_tokenization (applied by batch_decode(clean_up_tokenization_spaces=True)).
namespace NanoT5.Finetune;

/// <summary>Trimming, punctuation and decoded-text clean-up with the reference's (Python's and transformers') semantics.</summary>
public static class TextCleanup
{
    // str.isspace(): \t\n\v\f\r, \x1c-\x1f, space, \x85, \xa0, \u1680, \u2000-\u200a, \u2028, \u2029, \u202f, \u205f, \u3000.
    private const string Whitespace =
        "\t\n\v\f\r\u001c\u001d\u001e\u001f \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000";

    // string.punctuation: the 32 ASCII punctuation characters.
    private const string Punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /// <summary>Python's <c>text.strip()</c>.</summary>
    public static string Strip(string text) => text.Trim(Whitespace.ToCharArray());

    /// <summary>Python's <c>c in string.punctuation</c>.</summary>
    public static bool IsPunctuation(char c) => Punctuation.Contains(c, StringComparison.Ordinal);

    /// <summary>transformers' <c>clean_up_tokenization</c>: removes the space before . ? ! , and English contractions.</summary>
    public static string CleanUpTokenization(string text) =>
        text.Replace(" .", ".", StringComparison.Ordinal)
            .Replace(" ?", "?", StringComparison.Ordinal)
            .Replace(" !", "!", StringComparison.Ordinal)
            .Replace(" ,", ",", StringComparison.Ordinal)
            .Replace(" ' ", "'", StringComparison.Ordinal)
            .Replace(" n't", "n't", StringComparison.Ordinal)
            .Replace(" 'm", "'m", StringComparison.Ordinal)
            .Replace(" 's", "'s", StringComparison.Ordinal)
            .Replace(" 've", "'ve", StringComparison.Ordinal)
            .Replace(" 're", "'re", StringComparison.Ordinal);
}
