using NanoT5.Cli;
using NanoT5.Runs;

namespace NanoT5.Tests.Evaluation;

[Collection(ConsoleCollection.Name)]
public sealed class RougeCommandTests
{
    [Fact]
    public void Run_ValidFile_PrintsMeanRougeLAndCount()
    {
        using var folder = TestPaths.NewTempFolder();
        string file = folder.File("predictions.jsonl");
        // F = 1, 0.25, 0.75 (see RougeLTests): mean x100 = 66.6667.
        File.WriteAllLines(file,
        [
            """{"prediction": "the cat sat", "references": ["The cat sat."]}""",
            "",
            """{"prediction": "d c b a", "reference": "a b c d"}""",
            """{"prediction": "the quick brown fox", "references": ["a slow dog", "quick brown foxes jump"]}""",
        ]);

        (int code, string output) = ConsoleCollection.Capture(() => CommandLine.Run(["rouge", file]));

        Assert.Equal(0, code);
        Assert.Equal($"rougeL: 66.6667{Environment.NewLine}count: 3{Environment.NewLine}", output);
    }

    [Fact]
    public void Run_FileWithCategories_PrintsPerCategoryLines()
    {
        using var folder = TestPaths.NewTempFolder();
        string file = folder.File("predictions.jsonl");
        File.WriteAllLines(file,
        [
            """{"prediction": "the cat sat", "references": ["the cat sat"], "category": "Copy", "task": "t1"}""",
            """{"prediction": "d c b a", "references": ["a b c d"], "category": "Reorder", "task": "t2"}""",
        ]);

        (int code, string output) = ConsoleCollection.Capture(() => CommandLine.Run(["rouge", file]));

        Assert.Equal(0, code);
        Assert.Contains("rougeL: 62.5000", output, StringComparison.Ordinal);
        Assert.Contains("rougeL for category 'Copy': 100.0000 (1)", output, StringComparison.Ordinal);
        Assert.Contains("rougeL for category 'Reorder': 25.0000 (1)", output, StringComparison.Ordinal);
        Assert.Contains("rougeL for task 't2': 25.0000 (1)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"prediction": "x"}""", "missing \"references\"")]
    [InlineData("""{"prediction": "x", "references": []}""", "\"references\" must be a non-empty list of strings")]
    [InlineData("""{"prediction": "x", "references": ["a", 3]}""", "\"references\" must be a non-empty list of strings")]
    [InlineData("""{"prediction": 5, "reference": "a"}""", "\"prediction\" must be a string")]
    [InlineData("""{"prediction": "x", "reference": "a", "references": ["a"]}""", "not both")]
    [InlineData("""{"prediction": "x", "reference": null}""", "\"reference\" must be a string")]
    [InlineData("""["x", "a"]""", "must be a JSON object")]
    [InlineData("""{"prediction": "x", """, "not valid JSON")]
    public void Read_BadLine_NamesTheFileLineAndProblem(string badLine, string problem)
    {
        using var folder = TestPaths.NewTempFolder();
        string file = folder.File("bad.jsonl");
        File.WriteAllLines(file, ["""{"prediction": "ok", "references": ["ok"]}""", badLine]);

        var e = Assert.Throws<InvalidDataException>(() => RougeCommand.Read(file));

        Assert.StartsWith($"{file}:2: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BadLine_ExitsWithTheInputErrorCode()
    {
        using var folder = TestPaths.NewTempFolder();
        string file = folder.File("bad.jsonl");
        File.WriteAllText(file, "{\"prediction\": \"x\"}\n");

        (int code, _) = ConsoleCollection.Capture(() => CommandLine.Run(["rouge", file]));

        Assert.Equal(ExitCodes.UsageOrInput, code);
    }

    [Fact]
    public void Read_OnlyBlankLines_SaysThereIsNothingToScore()
    {
        using var folder = TestPaths.NewTempFolder();
        string file = folder.File("empty.jsonl");
        File.WriteAllText(file, "\n  \n");

        var e = Assert.Throws<InvalidDataException>(() => RougeCommand.Read(file));

        Assert.Contains("no prediction to score", e.Message, StringComparison.Ordinal);
    }
}
