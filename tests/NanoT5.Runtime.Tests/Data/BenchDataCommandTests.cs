using System.Globalization;
using NanoT5.Runs;

namespace NanoT5.Tests.Data;

[Collection(TorchCollection.Name)]
public sealed class BenchDataCommandTests
{
    [Fact]
    public void BenchData_WithATokenizer_EndsWithTheTokensPerSecondLine()
    {
        using var folder = TestPaths.NewTempFolder();
        string corpus = DataFiles.WriteJsonLines(folder.File("corpus.jsonl"), DataFiles.Documents(400, seed: 31));

        (int exit, string output) = CliRunner.Run(
            ["bench-data", "--tokenizer", TestPaths.Tokenizer("t5-unigram-1k.model"), "--input", corpus, "--workers", "2", "--batch", "4",
             "--input-length", "64", "--shuffle-buffer", "8", "--warmup", "1", "--batches", "3"]);

        Assert.Equal(ExitCodes.Success, exit);
        string last = output.TrimEnd().Split('\n')[^1];
        Dictionary<string, string> values = last.Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(["tokens_per_s", "tokens_per_s_per_core", "workers", "cores", "seconds"], values.Keys);
        Assert.True(double.Parse(values["tokens_per_s"], CultureInfo.InvariantCulture) > 0);
        Assert.Equal("2", values["workers"]);
    }
}
