using NanoT5.Evaluation;

namespace NanoT5.Tests.Evaluation;

public sealed class RougeTokenizerTests
{
    // rouge_score: lower(), every run of non-[a-z0-9] -> " ", split, stem tokens longer than 3 characters.
    [Theory]
    [InlineData("The cat sat.", "the cat sat")]
    [InlineData("It's 3:45pm, isn't it?", "it s 3 45pm isn t it")]
    [InlineData("MAX_VALUE == 2147483647", "max valu 2147483647")] // value -> step 5a drops e (m("valu") = 1, not *o)
    [InlineData("running runs ran", "run run ran")]
    [InlineData("was has his", "was has his")] // 3 characters: not stemmed (the stemmer alone would give "wa", "ha", "hi")
    [InlineData("Caresses PONIES relational", "caress poni relat")]
    [InlineData("tab\tseparated\nlines", "tab separ line")]
    [InlineData("café crème", "caf cr me")] // non-ASCII letters separate tokens
    [InlineData("x² + y³", "x y")]
    [InlineData("ＡＢＣ", "")] // full-width letters are not [a-z0-9]
    [InlineData("", "")]
    [InlineData(" ... ", "")]
    public void Tokenize_WithStemming_FollowsRougeScore(string text, string expected) =>
        Assert.Equal(expected, string.Join(' ', RougeTokenizer.Tokenize(text)));

    [Fact]
    public void Tokenize_WithoutStemming_KeepsWholeWords() =>
        Assert.Equal(["running", "runs", "ran"], RougeTokenizer.Tokenize("Running, runs; ran!", stem: false));

    // Python's str.lower() maps exactly two non-ASCII code points into [a-z0-9]: KELVIN SIGN -> "k" and
    // LATIN CAPITAL LETTER I WITH DOT ABOVE -> "i" + COMBINING DOT ABOVE (which then splits the token).
    [Fact]
    public void Tokenize_KelvinSignAndDottedCapitalI_LowerCaseAsInPython()
    {
        Assert.Equal(["kelvin"], RougeTokenizer.Tokenize("\u212Aelvin"));
        Assert.Equal(["i", "stanbul"], RougeTokenizer.Tokenize("\u0130stanbul", stem: false));
    }
}
