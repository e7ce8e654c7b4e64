// The tokenizer and the training data are part of a run's identity: other bytes under the same names are refused
// on resume like a changed setting; the same bytes moved elsewhere are the same run.
using NanoT5.Config;
using NanoT5.Runs;

namespace NanoT5.Tests.Runs;

public sealed class RunInputsTests
{
    [Fact]
    public void Compare_ATokenizerWithTwoPiecesChangedAndItsSizeKept_IsAChange()
    {
        using var temp = TestPaths.NewTempFolder();
        byte[] model = File.ReadAllBytes(TestPaths.Tokenizer("t5-unigram-1k.model"));
        string tokenizer = temp.File("spiece.model");
        File.WriteAllBytes(tokenizer, model);
        ExperimentConfig config = Config(temp, tokenizer);
        IReadOnlyList<InputFile> saved = RunInputs.Of(config);
        // The first letters of two same-length pieces exchanged: same size and piece count, other pieces.
        (int a, int b) = SameLengthPieces(model);
        (model[a], model[b]) = (model[b], model[a]);
        File.WriteAllBytes(tokenizer, model);

        SettingChange change = Assert.Single(RunInputs.Compare(saved, RunInputs.Of(config)));

        Assert.Equal("tokenizer.path file spiece.model", change.Path);
        Assert.NotEqual(change.Old, change.New);
    }

    [Fact]
    public void Compare_ATrainingFileEditedInPlaceKeepingItsSize_IsAChangeNamingIt()
    {
        using var temp = TestPaths.NewTempFolder();
        string data = temp.File("train.jsonl");
        File.WriteAllText(data, "{\"text\": \"one\"}\n{\"text\": \"two\"}\n");
        File.SetLastWriteTimeUtc(data, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        ExperimentConfig config = Config(temp, TestPaths.Tokenizer("t5-unigram-1k.model")) with { Data = new DataSettings { TrainSources = [data] } };
        IReadOnlyList<InputFile> saved = RunInputs.Of(config);
        File.WriteAllText(data, "{\"text\": \"one\"}\n{\"text\": \"owt\"}\n");
        File.SetLastWriteTimeUtc(data, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        SettingChange change = Assert.Single(RunInputs.Compare(saved, RunInputs.Of(config)));

        Assert.Equal("data.train_sources file train.jsonl", change.Path);
    }

    [Fact]
    public void Compare_ATrainingFileTouchedInPlace_IsAChange_ButTheSameBytesMovedElsewhereAreNot()
    {
        using var temp = TestPaths.NewTempFolder();
        string data = temp.File("train.jsonl");
        File.WriteAllText(data, "{\"text\": \"one\"}\n");
        ExperimentConfig config = Config(temp, TestPaths.Tokenizer("t5-unigram-1k.model")) with { Data = new DataSettings { TrainSources = [data] } };
        IReadOnlyList<InputFile> saved = RunInputs.Of(config);
        File.SetLastWriteTimeUtc(data, File.GetLastWriteTimeUtc(data).AddMinutes(5));

        Assert.Single(RunInputs.Compare(saved, RunInputs.Of(config)));

        Directory.CreateDirectory(temp.File("moved"));
        File.Copy(data, temp.File("moved/train.jsonl"));
        Assert.Empty(RunInputs.Compare(saved, RunInputs.Of(config with { Data = new DataSettings { TrainSources = [temp.File("moved/train.jsonl")] } })));
    }

    [Fact]
    public void Compare_ALongFileChangedInTheMiddle_WithSizeTimeAndEndsKept_IsNotDetected_AsDocumented()
    {
        using var temp = TestPaths.NewTempFolder();
        string data = temp.File("train.txt");
        byte[] bytes = new byte[3 << 20];
        File.WriteAllBytes(data, bytes);
        DateTime time = File.GetLastWriteTimeUtc(data);
        ExperimentConfig config = Config(temp, TestPaths.Tokenizer("t5-unigram-1k.model")) with { Data = new DataSettings { TrainSources = [data] } };
        IReadOnlyList<InputFile> saved = RunInputs.Of(config);
        bytes[(3 << 20) / 2] = 1;
        File.WriteAllBytes(data, bytes);
        File.SetLastWriteTimeUtc(data, time);

        Assert.Empty(RunInputs.Compare(saved, RunInputs.Of(config)));
        bytes[^1] = 1;
        File.WriteAllBytes(data, bytes);
        File.SetLastWriteTimeUtc(data, time);
        Assert.Single(RunInputs.Compare(saved, RunInputs.Of(config)));
    }

    private static ExperimentConfig Config(TempFolder temp, string tokenizer) => new()
    {
        RunDirectory = temp.File("run"),
        Tokenizer = new TokenizerSettings { Kind = TokenizerKind.SentencePiece, Path = tokenizer },
        Data = new DataSettings { TrainSources = ["builtin:dotnet-docs"] },
    };

    // Offsets of the first bytes of two different pieces of equal length in the model proto (field 1 of each
    // SentencePiece message: tag 0x0A, length, UTF-8 bytes), so swapping one byte pair keeps the file valid.
    private static (int, int) SameLengthPieces(byte[] model)
    {
        var seen = new Dictionary<(byte Length, byte First), int>();
        for (int i = 0; i + 2 < model.Length; i++)
        {
            if (model[i] == 0x0A && model[i + 1] is > 2 and < 20 && model[i + 2] is >= (byte)'a' and <= (byte)'z')
            {
                var key = (model[i + 1], model[i + 2]);
                foreach (var other in seen.Where(p => p.Key.Length == key.Item1 && p.Key.First != key.Item2))
                {
                    return (other.Value, i + 2);
                }

                seen.TryAdd(key, i + 2);
            }
        }

        throw new InvalidOperationException("no two pieces of equal length in the tokenizer fixture");
    }
}
