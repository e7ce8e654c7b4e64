using NanoT5.Cli;
using NanoT5.Evaluation;
using NanoT5.Finetune;

namespace NanoT5.Tests.Finetune;

public sealed class SniPredictionFileTests
{
    [Fact]
    public void Write_ThenReadByTheRougeVerb_GivesTheSameReport()
    {
        using var folder = TestPaths.NewTempFolder();
        string path = folder.File("predictions.jsonl");
        SniPrediction[] predictions =
        [
            new("t1", "Copy", "a-1", "the cat \"sat\"", ["The cat sat.", "a cat"], "a cat"),
            new("t2", "Reorder", "b-1", "d c b a", ["a b c d"], "a b c d"),
        ];

        SniPredictionFile.Write(path, predictions);
        RougeReport reread = RougeReport.Compute(RougeCommand.Read(path));

        Assert.Equal(2, File.ReadAllLines(path).Length);
        Assert.StartsWith("""{"task":"t1","category":"Copy","id":"a-1","prediction":"the cat \"sat\"","references":["The cat sat.","a cat"],"label_reference":"a cat"}""",
            File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Equal(SniRougeL.Compute(predictions).AllReferences.RougeL, reread.RougeL);
        Assert.Equal(62.5, reread.RougeL, 10); // F = 1 and 0.25
        Assert.Equal(["Copy", "Reorder"], reread.ByCategory.Keys);
    }
}
