// Hostile input given to the real CLI: each used to crash the process (rc 134: an unhandled exception, a stack
// overflow), exhaust memory, or block forever. Each must be exit code 2 with a message naming the file or setting,
// in seconds, before any training step.
using NanoT5.Runs;
using NanoT5.Tests.Data;

namespace NanoT5.Tests.FaultTolerance;

[Collection(TorchCollection.Name)]
[Trait("Category", "Slow")]
public sealed class HostileInputTests
{
    private const string Huge = "2147483647";

    [Theory]
    [InlineData("\"batch_size\": 4", "\"batch_size\": " + Huge, "optim.batch_size 2,147,483,647 rows of 40 tokens")]
    [InlineData("\"documents_per_chunk\": 1000", "\"documents_per_chunk\": " + Huge, "data.documents_per_chunk 2,147,483,647 documents")]
    [InlineData("\"shuffle_buffer\": 64", "\"shuffle_buffer\": " + Huge, "data.shuffle_buffer 2,147,483,647 rows of 34 tokens")]
    [InlineData("\"threads\": 0", "\"threads\": " + Huge, "threads is 2,147,483,647, more than the")]
    [InlineData("\"workers\": 1", "\"workers\": " + Huge, "data.workers is 2,147,483,647, more than the")]
    [InlineData("\"input_length\": 32", "\"input_length\": " + Huge, "data.input_length 2147483647 with data.noise_density 0.15")]
    [InlineData("\"seed\": 2137", "\"seed\": 2137, \"seed\": 7", "line 4: key 'seed' appears twice (first at line 4)")]
    [InlineData("\"batch_size\": 4", "\"batch_size\": 4, \"batch_size\": 8", "key 'optim.batch_size' appears twice")]
    [InlineData("\"base_lr\": 0.01", "\"base_lr\": 1e400", "'optim.base_lr' is 1e400, which is not a finite number")]
    public void AHostileExperimentConfig_IsExitCode2NamingTheSetting_InSeconds(string find, string replace, string expected)
    {
        using var run = new FaultRun();
        string text = File.ReadAllText(run.ConfigPath);
        Assert.Contains(find, text, StringComparison.Ordinal);
        File.WriteAllText(run.ConfigPath, text.Replace(find, replace, StringComparison.Ordinal));

        var (code, output) = RuntimeProcess.Run(run.Pretrain, timeoutSeconds: 120);

        Assert.True(code == ExitCodes.UsageOrInput, $"exit code {code}: {output}");
        Says(output, expected);
        Assert.False(Directory.Exists(Path.Combine(run.RunDirectory, "checkpoints")), output);
    }

    [Fact]
    public void ShowConfig_WithAHugeInputLength_AnswersInsteadOfSpinning()
    {
        using var run = new FaultRun(c => c with { Data = c.Data with { InputLength = int.MaxValue } });

        var (code, output) = RuntimeProcess.Run(["show-config", "--config", run.ConfigPath], timeoutSeconds: 60);

        Assert.True(code == ExitCodes.UsageOrInput, $"exit code {code}: {output}");
        Says(output, "need more than the tokenizer's 100 sentinels; use data.input_length 1809 or less");
    }

    [Fact]
    public void ANulInTheRunDirectory_IsNamedInsteadOfNullCharacterInPath()
    {
        using var run = new FaultRun();
        File.WriteAllText(run.ConfigPath, File.ReadAllText(run.ConfigPath).Replace("/run\"", "/run\\u0000x\"", StringComparison.Ordinal));

        var (code, output) = RuntimeProcess.Run(run.Pretrain, timeoutSeconds: 60);

        Assert.True(code == ExitCodes.UsageOrInput, $"exit code {code}: {output}");
        Says(output, "run_directory: contains a NUL character (U+0000)");
    }

    [Fact]
    public void ANonFiniteNumberInTheModelConfig_IsRefusedUpFrontNamingTheFileAndField()
    {
        using var run = new FaultRun();
        string modelConfig = run.Config.Model.ConfigPath!;
        File.WriteAllText(modelConfig, File.ReadAllText(modelConfig).Replace("\"layer_norm_epsilon\": 1E-06", "\"layer_norm_epsilon\": 1e400", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("1e400", File.ReadAllText(modelConfig), StringComparison.Ordinal);

        var (code, output) = RuntimeProcess.Run(run.Pretrain, timeoutSeconds: 120);

        Assert.True(code == ExitCodes.UsageOrInput, $"exit code {code}: {output}");
        Says(output, $"{modelConfig} line");
        Says(output, "'layer_norm_epsilon' is 1e400, which is not a finite number");
    }

    [Theory]
    [InlineData("nul", "piece 1000 holds a NUL character")]
    [InlineData("long", "piece 1000 is 20,971,520 bytes long, more than the 4096")]
    public void AHostileSentencePiecePiece_IsRefusedNamingTheTokenizerFile(string which, string expected)
    {
        using var run = new FaultRun();
        string tokenizer = Path.Combine(run.Folder, "spiece.model");
        string piece = which == "nul" ? "▁a\0b" : new string('x', 20 << 20);
        File.WriteAllBytes(tokenizer, [.. File.ReadAllBytes(TestPaths.Tokenizer("t5-unigram-1k.model")), .. SentencePieceModelValidationTests.PiecesField(piece, -20f)]);
        string config = File.ReadAllText(run.ConfigPath).Replace(run.Config.Tokenizer.Path!, tokenizer, StringComparison.Ordinal);
        File.WriteAllText(run.ConfigPath, config);

        var (code, output) = RuntimeProcess.Run(run.Pretrain, timeoutSeconds: 120);

        Assert.True(code == ExitCodes.UsageOrInput, $"exit code {code}: {output}");
        Says(output, $"{tokenizer}: {expected}");
    }

    [Theory]
    [InlineData("tokenizer", "the SentencePiece model is not a regular file")]
    [InlineData("model config", "the model config is not a regular file")]
    [InlineData("model.safetensors", "the checkpoint file is not a regular file")]
    [InlineData("model.safetensors.index.json", "the sharded checkpoint index is not a regular file")]
    public void AFifoInPlaceOfAFileWeRead_IsRefusedInsteadOfBlockingForever(string which, string expected)
    {
        using var run = new FaultRun();
        string fifo;
        string config = File.ReadAllText(run.ConfigPath);
        if (which == "tokenizer")
        {
            fifo = Path.Combine(run.Folder, "spiece.model");
            config = config.Replace(run.Config.Tokenizer.Path!, fifo, StringComparison.Ordinal);
        }
        else if (which == "model config")
        {
            fifo = run.Config.Model.ConfigPath!;
            File.Delete(fifo);
        }
        else
        {
            fifo = Path.Combine(InitFrom(run, "init"), which);
            File.Delete(fifo);
            config = File.ReadAllText(run.ConfigPath);
        }

        TestFifo.Make(fifo);
        File.WriteAllText(run.ConfigPath, config);

        var (code, output) = RuntimeProcess.Run(run.Pretrain, timeoutSeconds: 120);

        Assert.True(code == ExitCodes.UsageOrInput, $"exit code {code}: {output}");
        Says(output, $"{fifo}: {expected}");
    }

    [Theory]
    [InlineData("{ \"weight_map\": { \"shared.weight\": 7 } }", "weight_map['shared.weight'] must be the file name of a shard next to the index (got 7)")]
    [InlineData("{ \"weight_map\": { \"shared.weight\": null } }", "weight_map['shared.weight'] must be the file name of a shard next to the index (got null)")]
    [InlineData("{ \"weight_map\": { \"shared.weight\": \"../x.safetensors\" } }", "weight_map['shared.weight'] must be the file name of a shard next to the index")]
    [InlineData("{ \"weight_map\": { ", "line 1: not valid JSON")]
    public void AHostileShardedCheckpointIndex_IsRefusedNamingTheIndex(string index, string expected)
    {
        using var run = new FaultRun();
        string indexPath = Path.Combine(InitFrom(run, "init"), "model.safetensors.index.json");
        File.WriteAllText(indexPath, index);

        var (code, output) = RuntimeProcess.Run(run.Pretrain, timeoutSeconds: 120);

        Assert.True(code == ExitCodes.UsageOrInput, $"exit code {code}: {output}");
        Says(output, $"{indexPath}");
        Says(output, expected);
    }

    [Fact]
    public void ASafetensorsHeaderWithInvalidUtf8_IsRefusedNamingTheFile()
    {
        using var run = new FaultRun();
        string weights = Path.Combine(run.Folder, "weights.safetensors");
        byte[] header = "{\"ab\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}"u8.ToArray();
        header[3] = 0xFF; // the tensor name's 'b': no UTF-8 sequence has the byte 0xFF
        File.WriteAllBytes(weights, [.. BitConverter.GetBytes((ulong)header.Length), .. header, 0, 0, 0, 0]);
        InitFrom(run, "weights.safetensors");

        var (code, output) = RuntimeProcess.Run(run.Pretrain, timeoutSeconds: 120);

        Assert.True(code == ExitCodes.UsageOrInput, $"exit code {code}: {output}");
        Says(output, $"{weights}: the safetensors header is not valid UTF-8");
    }

    [Fact]
    public void Sigterm_MidEvaluation_StopsWithinSecondsCheckpointingTheLastStep()
    {
        // eval.steps 2^31-1 re-reads the validation data forever: only a stop check between batches ends it.
        using var run = new FaultRun(c => c with
        {
            Optim = c.Optim with { TotalSteps = 100_000 },
            Eval = c.Eval with { EverySteps = 2, Steps = int.MaxValue },
            Checkpoint = c.Checkpoint with { EverySteps = 100_000 },
        });
        using var process = RuntimeProcess.Start(run.Pretrain);
        process.WaitUntil(() => File.Exists(Path.Combine(run.RunDirectory, "metrics.jsonl")) && run.Losses().ContainsKey(2), "step 2 (then its evaluation)");
        Thread.Sleep(3000);

        process.Signal(15);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        int code = process.WaitForExit(timeoutSeconds: 60);

        Assert.True(code == ExitCodes.Interrupted, process.Output);
        Assert.True(watch.Elapsed.TotalSeconds < 30, $"{watch.Elapsed.TotalSeconds:F0} s to stop:\n{process.Output}");
        Assert.Equal([2L], run.CheckpointSteps());
        Assert.Null(run.Verify(2));
        Assert.DoesNotContain("eval/loss", File.ReadAllText(Path.Combine(run.RunDirectory, "metrics.jsonl")), StringComparison.Ordinal);
    }

    [Fact]
    public void AFifoInPlaceOfACheckpointsManifest_IsADamagedCheckpoint_AndTheResumeFallsBackToThePreviousOne()
    {
        using var run = new FaultRun();
        Assert.Equal(0, RuntimeProcess.Run(run.Pretrain).ExitCode);
        string manifest = Path.Combine(run.RunDirectory, "checkpoints", "step-00000008", "manifest.json");
        File.Delete(manifest);
        TestFifo.Make(manifest);

        var (code, output) = RuntimeProcess.Run(run.Pretrain, timeoutSeconds: 120);

        Assert.True(code == ExitCodes.Success, $"exit code {code}: {output}");
        Says(output, "manifest.json is not a regular file");
        Says(output, "resuming from step 6");
    }

    [Fact]
    public void AFailedExport_MarksTheRunFailedAndSaysHowToGetTheExport_AndTheRerunExports()
    {
        // A folder where the export's config.json must go: its rename fails like a full disk would fail it.
        using var run = new FaultRun();
        // The folder is a NanoT5 run folder (a folder of someone else's files is refused before anything runs).
        RunFolderClaim.Claim(run.RunDirectory, run.Config.Name, startOver: false, TextWriter.Null).Dispose();
        string blocker = Path.Combine(run.RunDirectory, "model", "config.json");
        Directory.CreateDirectory(blocker);

        var (code, output) = RuntimeProcess.Run(run.Pretrain, timeoutSeconds: 240);

        Assert.True(code == ExitCodes.WriteFailed, output);
        Says(output, "Could not export the trained model to");
        Says(output, "run the same command again; it resumes at the last step and only evaluates and exports.");
        string summary = File.ReadAllText(Path.Combine(run.RunDirectory, "summary.json"));
        Assert.True(summary.Contains("\"failed\"", StringComparison.Ordinal), summary);

        Directory.Delete(blocker);
        var (again, rerun) = RuntimeProcess.Run(run.Pretrain, timeoutSeconds: 240);

        Assert.True(again == ExitCodes.Success, rerun);
        Assert.True(File.Exists(Path.Combine(run.RunDirectory, "model", "config.json")), rerun);
        Assert.Equal(8, run.Losses().Keys.Max());
    }

    // Names run.Folder/NAME as the run's model.init_from; a NAME without an extension is made a HF folder holding config.json.
    private static string InitFrom(FaultRun run, string name)
    {
        string path = Path.Combine(run.Folder, name);
        if (Path.GetExtension(name).Length == 0)
        {
            Directory.CreateDirectory(path);
            File.Copy(run.Config.Model.ConfigPath!, Path.Combine(path, "config.json"));
        }

        File.WriteAllText(run.ConfigPath, File.ReadAllText(run.ConfigPath).Replace("\"init_from\": null", $"\"init_from\": \"{path}\"", StringComparison.Ordinal));
        return path;
    }

    // The whole output on failure: the message is the point of these tests.
    private static void Says(string output, string expected) => Assert.True(output.Contains(expected, StringComparison.Ordinal), $"expected '{expected}' in:\n{output}");
}
