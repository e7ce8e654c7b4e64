// Ports rouge_score's default tokenizer (rouge_score/tokenize.py): Python's str.lower(), every run of
// characters outside [a-z0-9] becomes one space, split on whitespace, Porter-stem the tokens longer than three
// characters, drop empty tokens.
namespace NanoT5.Evaluation;

/// <summary>The tokens rouge_score compares.</summary>
public static class RougeTokenizer
{
    /// <summary>Tokens of <paramref name="text"/>; with <paramref name="stem"/>, tokens over 3 characters are Porter-stemmed.</summary>
    public static IReadOnlyList<string> Tokenize(string text, bool stem = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        var current = new System.Text.StringBuilder();
        void EndToken()
        {
            if (current.Length > 0)
            {
                string token = current.ToString();
                current.Clear();
                token = stem && token.Length > 3 ? PorterStemmer.Stem(token) : token;
                if (token.Length > 0)
                {
                    // rouge_score's last filter keeps only non-empty [a-z0-9]+ tokens.
                    tokens.Add(token);
                }
            }
        }

        foreach (char c in text)
        {
            switch (c)
            {
                case >= 'a' and <= 'z' or >= '0' and <= '9':
                    current.Append(c);
                    break;
                case >= 'A' and <= 'Z':
                    current.Append((char)(c + ('a' - 'A')));
                    break;
                case '\u212A':
                    // KELVIN SIGN: Python lower-cases it to the ASCII letter k.
                    current.Append('k');
                    break;
                case '\u0130':
                    // LATIN CAPITAL LETTER I WITH DOT ABOVE: Python lower-cases it to "i\u0307"; the combining dot
                    // is not [a-z0-9], so the token ends right after the i.
                    current.Append('i');
                    EndToken();
                    break;
                default:
                    // No other character lower-cases to anything in [a-z0-9] (checked over every code point).
                    EndToken();
                    break;
            }
        }

        EndToken();
        return tokens;
    }
}
