using System.Diagnostics;
using NanoT5.Data.Tokenizers;
using NanoT5.Runs;

namespace NanoT5.Tests.Data;

// These tests run SentencePiece's real trainer and encoder (Debian's sentencepiece package; .ci/run installs it).
[Trait("Category", "Slow")]
public sealed class SentencePieceTrainerTests
{
    [Fact]
    public void Train_TinyCorpus_WritesAT5LayoutModelWhoseIdsMatchSpmEncode()
    {
        using var folder = TestPaths.NewTempFolder();
        string corpus = DataFiles.WriteJsonLines(folder.File("corpus.jsonl"), DataFiles.Documents(400, seed: 21));
        File.WriteAllLines(folder.File("more.txt"), File.ReadAllLines(TestPaths.Tokenizer("sample.txt")));
        var options = new SentencePieceTrainingOptions { Sources = [corpus, folder.File("more.txt")], OutputPath = folder.File("out/spiece.model"), VocabSize = 150, Threads = 1 };

        SentencePieceT5Tokenizer tokenizer = SentencePieceTrainer.Train(options, TextWriter.Null);

        Assert.Equal((0, 1, 2, -1), (tokenizer.Model.PadId, tokenizer.Model.EosId, tokenizer.Model.UnkId, tokenizer.Model.BosId));
        Assert.Equal(150, tokenizer.RegularCount);
        Assert.Equal(250, tokenizer.Count);
        Assert.True(File.Exists(folder.File("out/spiece.vocab")));
        string[] lines = [.. DataFiles.Documents(20, seed: 22), .. File.ReadAllLines(TestPaths.Tokenizer("sample.txt"))];
        string[] expected = SpmEncode(options.OutputPath, lines);
        for (int i = 0; i < lines.Length; i++)
        {
            Assert.Equal(expected[i], string.Join(' ', tokenizer.Encode(lines[i])));
        }
    }

    [Fact]
    public void FindTrainer_WithNothingInstalled_IsNull_AndTrainSaysHowToInstall()
    {
        using var emptyPath = TestPaths.NewTempFolder();
        var options = new SentencePieceTrainingOptions { Sources = ["/nonexistent"], OutputPath = "spiece.model" };

        Assert.Null(SentencePieceTrainer.FindTrainer(emptyPath.Path));
        var e = Assert.Throws<FileNotFoundException>(() => SentencePieceTrainer.Train(options, TextWriter.Null, emptyPath.Path));

        Assert.Contains("sudo apt-get install sentencepiece", e.Message, StringComparison.Ordinal);
        Assert.Contains("brew install sentencepiece", e.Message, StringComparison.Ordinal);
        Assert.Contains("pip install sentencepiece", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TokenizerTrainVerb_PrintsWhereTheModelIsAndHowToUseIt()
    {
        using var folder = TestPaths.NewTempFolder();
        string corpus = DataFiles.WriteJsonLines(folder.File("corpus.jsonl"), DataFiles.Documents(300, seed: 23));
        string model = folder.File("spiece.model");

        (int exit, string output) = CliRunner.Run(
            ["tokenizer", "train", "--input", corpus, TestPaths.Tokenizer("sample.txt"), "--output", model, "--vocab-size", "150", "--threads", "1"]);

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains($"wrote {model}: 150 pieces, tokenizer length 250 with sentinels, model vocab 256", output, StringComparison.Ordinal);
        Assert.Contains("tokenizer.kind = sentencepiece", output, StringComparison.Ordinal);
    }

    private static string[] SpmEncode(string model, string[] lines)
    {
        var start = new ProcessStartInfo("spm_encode", [$"--model={model}", "--output_format=id"]) { RedirectStandardInput = true, RedirectStandardOutput = true };
        using Process process = Process.Start(start)!;
        process.StandardInput.Write(string.Join("\n", lines) + "\n");
        process.StandardInput.Close();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Split('\n')[..lines.Length];
    }
}
