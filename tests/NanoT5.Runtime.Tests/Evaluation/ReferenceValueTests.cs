using System.Globalization;
using System.Text.Json;
using NanoT5.Evaluation;

namespace NanoT5.Tests.Evaluation;

// Values produced by NLTK and rouge_score themselves (tests/fixtures/rouge/README.md says how).
public sealed class ReferenceValueTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "rouge", name);

    [Fact]
    public void Stem_ThreeThousandWords_MatchNltkExactly()
    {
        string[][] pairs = File.ReadAllLines(Fixture("nltk-porter-stems.tsv")).Select(line => line.Split('\t')).ToArray();

        string[] differing = pairs.Where(p => PorterStemmer.Stem(p[0]) != p[1]).Select(p => $"{p[0]}: nltk {p[1]}, ours {PorterStemmer.Stem(p[0])}").ToArray();

        Assert.True(pairs.Length > 3000);
        Assert.Empty(differing);
    }

    [Fact]
    public void BestFMeasure_ThreeHundredPairs_MatchRougeScoreBitForBit()
    {
        string[] lines = File.ReadAllLines(Fixture("rouge-l-pairs.jsonl"));
        var differing = new List<string>();
        foreach (string line in lines)
        {
            using JsonDocument pair = JsonDocument.Parse(line);
            string prediction = pair.RootElement.GetProperty("prediction").GetString()!;
            string[] references = pair.RootElement.GetProperty("references").EnumerateArray().Select(r => r.GetString()!).ToArray();
            double expected = double.Parse(pair.RootElement.GetProperty("expected").GetString()!, CultureInfo.InvariantCulture);

            double actual = RougeL.BestFMeasure(prediction, references);

            if (BitConverter.DoubleToInt64Bits(actual) != BitConverter.DoubleToInt64Bits(expected))
            {
                differing.Add($"{prediction} | {string.Join(" | ", references)}: rouge_score {expected:R}, ours {actual:R}");
            }
        }

        Assert.Equal(300, lines.Length);
        Assert.Empty(differing);
    }
}
