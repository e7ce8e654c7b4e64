using NanoT5.Evaluation;

namespace NanoT5.Tests.Evaluation;

public sealed class RougeLTests
{
    // Expected values are worked out by hand from rouge_score's _score_lcs: P = LCS / |prediction tokens|,
    // R = LCS / |target tokens|, F = 2PR / (P + R), zero when either side has no token.
    private const int Digits = 12;

    [Fact]
    public void Score_SameWordsDifferentCaseAndPunctuation_IsOne()
    {
        // [the, cat, sat] both sides: LCS 3, P = R = F = 1.
        RougeScore score = RougeL.Score("The cat sat.", "the CAT sat");

        Assert.Equal(new RougeScore(1, 1, 1), score);
    }

    [Fact]
    public void Score_NumbersAndContractions_SplitOnEveryNonAlphanumeric()
    {
        // target [it, s, 3, 45pm, isn, t, it] (7), prediction [it, is, 3, 45, pm] (5): LCS = "it 3" = 2.
        // P = 2/5 = 0.4, R = 2/7, F = 2 * 0.4 * 2/7 / (0.4 + 2/7) = (1.6/7) / (4.8/7) = 1/3.
        RougeScore score = RougeL.Score("It's 3:45pm, isn't it?", "it is 3 45 PM");

        Assert.Equal(0.4, score.Precision, Digits);
        Assert.Equal(2.0 / 7, score.Recall, Digits);
        Assert.Equal(1.0 / 3, score.FMeasure, Digits);
    }

    [Fact]
    public void Score_RougeScoreDocstringExample_GivesTenSeventeenths()
    {
        // target: [the, quick, brown, fox, jump, over, the, lazi, dog] (9; jumps -> jump, lazy -> lazi)
        // prediction: [the, quick, brown, dog, jump, on, the, log] (8)
        // LCS = the quick brown jump the = 5. P = 5/8, R = 5/9, F = 2 * 25/72 / (85/72) = 50/85 = 10/17.
        RougeScore score = RougeL.Score("The quick brown fox jumps over the lazy dog", "The quick brown dog jumps on the log.");

        Assert.Equal(5.0 / 8, score.Precision, Digits);
        Assert.Equal(5.0 / 9, score.Recall, Digits);
        Assert.Equal(10.0 / 17, score.FMeasure, Digits);
    }

    [Fact]
    public void Score_StemmedForms_Match()
    {
        // [gener, gener] vs [gener]: LCS 1, P = 1, R = 1/2, F = 2/3.
        Assert.Equal(2.0 / 3, RougeL.Score("generalization generalize", "generalizations").FMeasure, Digits);
        // target [ran, run] (ran has 3 letters: not stemmed), prediction [run, run]: LCS 1, P = R = 1/2, F = 1/2.
        Assert.Equal(0.5, RougeL.Score("ran run", "running runs").FMeasure, Digits);
        // caresses -> caress, ponies -> poni, relational -> relat on both sides.
        Assert.Equal(1.0, RougeL.Score("caress poni relat", "Caresses, ponies; relational!").FMeasure, Digits);
    }

    [Fact]
    public void Score_ShortWords_AreNotStemmed()
    {
        // "was" (3 letters) stays "was"; "wa" is "wa": no common token.
        Assert.Equal(0.0, RougeL.Score("was", "wa").FMeasure);
        // "cats" (4 letters) is stemmed to "cat".
        Assert.Equal(1.0, RougeL.Score("cat", "cats").FMeasure);
    }

    [Theory]
    [InlineData("", "a reference")]
    [InlineData("a prediction", "")]
    [InlineData("...", "a reference")]
    [InlineData("", "")]
    public void Score_NoTokensOnEitherSide_IsZero(string prediction, string target) =>
        Assert.Equal(default, RougeL.Score(target, prediction));

    [Fact]
    public void Score_ReversedOrder_CountsOneWord()
    {
        // [a, b, c, d] vs [d, c, b, a]: LCS 1, P = R = F = 1/4.
        Assert.Equal(0.25, RougeL.Score("a b c d", "d c b a").FMeasure, Digits);
    }

    [Fact]
    public void BestFMeasure_SeveralReferences_TakesTheBest()
    {
        // [a, slow, dog] vs [the, quick, brown, fox]: 0. [quick, brown, fox, jump] (foxes -> fox): LCS 3, F = 3/4.
        double best = RougeL.BestFMeasure("the quick brown fox", ["a slow dog", "quick brown foxes jump"]);

        Assert.Equal(0.75, best, Digits);
    }

    [Fact]
    public void BestFMeasure_NoReference_Throws() =>
        Assert.Throws<ArgumentException>(() => RougeL.BestFMeasure("x", []));

    [Fact]
    public void LcsLength_InterleavedSequences_FindsTheLongest() =>
        Assert.Equal(4, RougeL.LcsLength(["a", "b", "c", "b", "d", "a", "b"], ["b", "d", "c", "a", "b", "a"]));
}
