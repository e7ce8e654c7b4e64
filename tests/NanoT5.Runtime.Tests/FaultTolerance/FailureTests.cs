using System.IO.Compression;
using NanoT5.Config;
using NanoT5.Runs;

namespace NanoT5.Tests.FaultTolerance;

[Collection(TorchCollection.Name)]
[Trait("Category", "Slow")]
public sealed class FailureTests
{
    [Fact]
    public void NonFiniteLosses_AreSkippedCountedAndStopTheRunWithTheLastGoodCheckpointIntact()
    {
        // A learning rate of 1e30 blows the weights up: every later step is non-finite.
        using var run = new FaultRun(c => c with
        {
            Optim = c.Optim with { BaseLr = 1e30, TotalSteps = 50, MaxConsecutiveSkippedSteps = 3 },
            Checkpoint = c.Checkpoint with { EverySteps = 1 },
        });

        var (code, output) = RuntimeProcess.Run(run.Pretrain);

        Assert.True(code == ExitCodes.Diverged, output);
        Assert.Contains("update skipped (1 in a row", output, StringComparison.Ordinal);
        Assert.Contains("stopping: 3 steps in a row had a non-finite loss or gradients", output, StringComparison.Ordinal);
        Assert.NotEmpty(run.CheckpointSteps());
        Assert.All(run.CheckpointSteps(), s => Assert.Null(run.Verify(s)));
    }

    [Fact]
    public void DiskFull_WhileCheckpointing_IsAClearErrorAndThePreviousCheckpointStaysIntact()
    {
        using var run = new FaultRun(c => c with { Optim = c.Optim with { TotalSteps = 2, WarmupSteps = 1 } });
        var (first, firstOutput) = RuntimeProcess.Run(run.Pretrain);
        Assert.True(first == ExitCodes.Success, firstOutput);
        string longer = Path.Combine(run.Folder, "longer.json");
        ExperimentConfigJson.Save(run.Config with { Optim = run.Config.Optim with { TotalSteps = 4 } }, longer);

        // Files may not grow past 192 KB: metrics and inputs.json (the built-in corpus's ~355 file fingerprints, about
        // 100 KB) still fit, the next checkpoint's weights (about 390 KB) do not.
        var (code, output) = RuntimeProcess.Run(["pretrain", "--config", longer], fileSizeLimitKb: 192);

        Assert.True(code == ExitCodes.WriteFailed, output);
        Assert.True(output.Contains("error: Could not write checkpoint", StringComparison.Ordinal), output);
        Assert.Contains("The previous checkpoint is intact", output, StringComparison.Ordinal);
        Assert.Equal([2L], run.CheckpointSteps());
        Assert.Null(run.Verify(2));
        Assert.Empty(Directory.GetDirectories(Path.Combine(run.RunDirectory, "checkpoints"), ".step-*"));
    }

    [Fact]
    public void AnOutputFolderThatCannotBeCreated_IsAClearErrorBeforeTraining()
    {
        using var run = new FaultRun();
        string blocker = Path.Combine(run.Folder, "not-a-folder");
        File.WriteAllText(blocker, "a file where the run folder should go");
        string config = Path.Combine(run.Folder, "blocked.json");
        ExperimentConfigJson.Save(run.Config with { RunDirectory = Path.Combine(blocker, "run") }, config);

        var (code, output) = RuntimeProcess.Run(["pretrain", "--config", config]);

        Assert.NotEqual(ExitCodes.Success, code);
        Assert.Contains("error:", output, StringComparison.Ordinal);
        Assert.Contains("not-a-folder", output, StringComparison.Ordinal);
        Assert.DoesNotContain("[train]", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tokenizer", "no-such-spiece.model")]
    [InlineData("init", "no-such-checkpoint")]
    [InlineData("config", "no-such-config.json")]
    [InlineData("data", "no-such-corpus.jsonl")]
    public void AMissingFile_IsAClearErrorNamingItBeforeAnyTraining(string which, string missing)
    {
        using var run = new FaultRun();
        string path = Path.Combine(run.Folder, missing);
        ExperimentConfig config = which switch
        {
            "tokenizer" => run.Config with { Tokenizer = run.Config.Tokenizer with { Path = path } },
            "init" => run.Config with { Model = run.Config.Model with { InitFrom = path } },
            "config" => run.Config with { Model = run.Config.Model with { ConfigPath = path } },
            // An own corpus needs validation sources too (NT2020); both name the missing file.
            _ => run.Config with { Data = run.Config.Data with { TrainSources = [path], ValidationSources = [path] } },
        };
        string file = Path.Combine(run.Folder, "broken.json");
        ExperimentConfigJson.Save(config, file);

        var (code, output) = RuntimeProcess.Run(["pretrain", "--config", file]);

        Assert.True(code == ExitCodes.UsageOrInput, output);
        Assert.Contains(missing, output, StringComparison.Ordinal);
        Assert.DoesNotContain("[train]", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(run.RunDirectory, "checkpoints")));
    }

    [Fact]
    public void AMalformedConfigFile_NamesTheFileAndTheSetting()
    {
        using var run = new FaultRun();
        File.WriteAllText(run.ConfigPath, File.ReadAllText(run.ConfigPath).Replace("\"batch_size\": 4", "\"batch_size\": \"four\"", StringComparison.Ordinal));

        var (code, output) = RuntimeProcess.Run(run.Pretrain);

        Assert.Equal(ExitCodes.UsageOrInput, code);
        Assert.Contains(run.ConfigPath, output, StringComparison.Ordinal);
        Assert.Contains("batch_size", output, StringComparison.Ordinal);
    }

    [Fact]
    public void BadData_IsSkippedWithWarningsNamingTheShardAndRecord_UnlessItPassesTheLimit()
    {
        using var run = new FaultRun();
        string corpus = Path.Combine(run.Folder, "corpus");
        Directory.CreateDirectory(corpus);
        string Documents(int count) => string.Join('\n', Enumerable.Range(0, count).Select(i => $"{{\"text\": \"Document {i} talks about tensors, models and the training of transformers on text.\"}}"));
        File.WriteAllText(Path.Combine(corpus, "good.jsonl"), Documents(400) + "\n{not json}\n{\"text\": 7}\n");
        using (var gz = new GZipStream(File.Create(Path.Combine(corpus, "damaged.json.gz")), CompressionLevel.Fastest))
        {
            gz.Write(System.Text.Encoding.UTF8.GetBytes(Documents(40)));
        }

        byte[] damaged = File.ReadAllBytes(Path.Combine(corpus, "damaged.json.gz"));
        File.WriteAllBytes(Path.Combine(corpus, "damaged.json.gz"), damaged[..(damaged.Length / 2)]);
        ExperimentConfig tolerant = run.Config with { Data = run.Config.Data with { TrainSources = [corpus], ValidationSources = [Path.Combine(corpus, "good.jsonl")] } };
        string tolerantFile = Path.Combine(run.Folder, "tolerant.json");
        ExperimentConfigJson.Save(tolerant, tolerantFile);

        // A small corpus whose first pass ends within a step or two: a quarter of it is unreadable.
        string poor = Path.Combine(run.Folder, "poor.jsonl");
        File.WriteAllText(poor, Documents(30) + "\n" + string.Concat(Enumerable.Repeat("{broken\n", 10)));
        string strictFile = Path.Combine(run.Folder, "strict.json");
        ExperimentConfigJson.Save(
            tolerant with { RunDirectory = tolerant.RunDirectory + "-strict", Data = tolerant.Data with { TrainSources = [poor], MaxBadDataFraction = 0.1 } },
            strictFile);

        var (code, output) = RuntimeProcess.Run(["pretrain", "--config", tolerantFile]);
        var (strictCode, strictOutput) = RuntimeProcess.Run(["pretrain", "--config", strictFile]);

        Assert.True(code == ExitCodes.Success, output);
        Assert.Contains("good.jsonl (record 400): invalid JSON", output, StringComparison.Ordinal);
        Assert.Contains("good.jsonl (record 401): no \"text\" string field", output, StringComparison.Ordinal);
        Assert.Contains("damaged.json.gz", output, StringComparison.Ordinal);
        Assert.True(strictCode == ExitCodes.BadData, strictOutput);
        Assert.Contains("poor.jsonl", strictOutput, StringComparison.Ordinal);
    }
}
