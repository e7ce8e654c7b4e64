// Ports rouge_score's rougeL (rouge_scorer._score_lcs, scoring.fmeasure) with use_stemmer=True, and the
// max over references of the Super-Natural Instructions evaluation (Tk-Instruct compute_metrics.py,
// metric_max_over_ground_truths).
namespace NanoT5.Evaluation;

/// <summary>Precision, recall and F-measure of one prediction against one reference, each in [0, 1].</summary>
public readonly record struct RougeScore(double Precision, double Recall, double FMeasure);

/// <summary>RougeL: longest common subsequence of rouge_score tokens.</summary>
public static class RougeL
{
    /// <summary>rouge_score's <c>RougeScorer(["rougeL"], use_stemmer=True).score(target, prediction)["rougeL"]</c>.</summary>
    public static RougeScore Score(string target, string prediction) =>
        ScoreTokens(RougeTokenizer.Tokenize(target), RougeTokenizer.Tokenize(prediction));

    /// <summary>
    /// The SNI metric of one instance: the best RougeL F-measure of <paramref name="prediction"/> over
    /// <paramref name="references"/> (there must be at least one).
    /// </summary>
    public static double BestFMeasure(string prediction, IReadOnlyList<string> references)
    {
        ArgumentNullException.ThrowIfNull(references);
        if (references.Count == 0)
        {
            throw new ArgumentException("RougeL needs at least one reference.", nameof(references));
        }

        IReadOnlyList<string> predicted = RougeTokenizer.Tokenize(prediction);
        double best = double.NegativeInfinity;
        foreach (string reference in references)
        {
            best = Math.Max(best, ScoreTokens(RougeTokenizer.Tokenize(reference), predicted).FMeasure);
        }

        return best;
    }

    /// <summary>Scores already tokenized text; zero when either side has no token.</summary>
    public static RougeScore ScoreTokens(IReadOnlyList<string> target, IReadOnlyList<string> prediction)
    {
        if (target.Count == 0 || prediction.Count == 0)
        {
            return default;
        }

        int lcs = LcsLength(target, prediction);
        double precision = (double)lcs / prediction.Count;
        double recall = (double)lcs / target.Count;
        // scoring.fmeasure, evaluated in Python's order so the doubles match bit for bit.
        double f = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
        return new RougeScore(precision, recall, f);
    }

    /// <summary>Length of the longest common subsequence (the last cell of rouge_score's _lcs_table).</summary>
    public static int LcsLength(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        // Two rows of the (|a|+1, |b|+1) table are enough for its last cell.
        var previous = new int[b.Count + 1];
        var row = new int[b.Count + 1];
        for (int i = 1; i <= a.Count; i++)
        {
            for (int j = 1; j <= b.Count; j++)
            {
                row[j] = string.Equals(a[i - 1], b[j - 1], StringComparison.Ordinal)
                    ? previous[j - 1] + 1
                    : Math.Max(previous[j], row[j - 1]);
            }

            (previous, row) = (row, previous);
        }

        return previous[b.Count];
    }
}
