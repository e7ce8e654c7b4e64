using NanoT5.Checkpoints;
using NanoT5.Model;
using NanoT5.Runs;

namespace NanoT5.Tests.FaultTolerance;

[Collection(TorchCollection.Name)]
public sealed class RunFolderTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public void ASecondLaunch_InARunFolderInUse_FailsAtOnceNamingTheHoldersPid_AndAKilledHolderLeavesNoLock()
    {
        using var run = new FaultRun(c => c with { Optim = c.Optim with { BatchSize = 128, TotalSteps = 60 }, Checkpoint = c.Checkpoint with { EverySteps = 3 } });
        using var first = RuntimeProcess.Start(run.Pretrain);
        first.WaitUntil(() => run.CheckpointSteps().Length > 0, "a first checkpoint");

        var (code, output) = RuntimeProcess.Run(run.Pretrain);

        Assert.True(code == ExitCodes.RunFolderInUse, output);
        Assert.Contains($"is in use by another NanoT5 process (PID {first.Id})", output, StringComparison.Ordinal);
        Assert.DoesNotContain("resuming", output, StringComparison.Ordinal);
        first.KillHard();
        first.WaitForExit();

        // The kernel dropped the killed holder's lock: the next launch resumes.
        using var again = RuntimeProcess.Start(run.Pretrain);
        again.WaitUntil(() => again.Output.Contains("resuming from step", StringComparison.Ordinal), "a resume");
        again.KillHard();
        again.WaitForExit();
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void AKillBetweenTheRenamesOfAReSavedCheckpoint_LeavesACompleteCopyThatTheNextStartPutsBack()
    {
        using var run = new FaultRun(c => c with { Optim = c.Optim with { TotalSteps = 4 }, Checkpoint = c.Checkpoint with { KeepLast = 1 } });
        var (firstCode, firstOutput) = RuntimeProcess.Run(run.Pretrain);
        Assert.True(firstCode == ExitCodes.Success, firstOutput);
        string checkpoints = Path.Combine(run.RunDirectory, "checkpoints");
        string step4 = Path.Combine(checkpoints, "step-00000004");
        // Running the finished run again re-saves step 4. A kill between its two renames leaves the old copy set
        // aside and the new one complete under its temporary name, and no step-00000004.
        CopyFolder(step4, Path.Combine(checkpoints, $".step-00000004.{Guid.NewGuid():N}.tmp"));
        Directory.Move(step4, Path.Combine(checkpoints, $".step-00000004.{Guid.NewGuid():N}.old"));

        var (code, output) = RuntimeProcess.Run(run.Pretrain);

        Assert.True(code == ExitCodes.Success, output);
        Assert.Contains("recovered the complete checkpoint", output, StringComparison.Ordinal);
        Assert.Contains("resuming from step 4", output, StringComparison.Ordinal);
        Assert.Equal([4L], run.CheckpointSteps());
        Assert.Null(run.Verify(4));
        Assert.Empty(Directory.GetDirectories(checkpoints, ".step-*"));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void AKillWhilePruningAnOldCheckpoint_LeavesOnlyALeftoverThatTheNextStartDeletesWithoutRecoveringIt()
    {
        using var run = new FaultRun(c => c with { Optim = c.Optim with { TotalSteps = 4 }, Checkpoint = c.Checkpoint with { KeepLast = 1 } });
        var (firstCode, firstOutput) = RuntimeProcess.Run(run.Pretrain);
        Assert.True(firstCode == ExitCodes.Success, firstOutput);
        string checkpoints = Path.Combine(run.RunDirectory, "checkpoints");
        string step4 = Path.Combine(checkpoints, "step-00000004");
        // Pruning renames a step out of the step-* names, then deletes it: a kill mid-delete leaves a half-deleted
        // leftover, a kill right after the rename a complete one. Neither is a checkpoint the run should return to.
        string halfDeleted = Path.Combine(checkpoints, $".step-00000002.{Guid.NewGuid():N}.pruned");
        CopyFolder(step4, halfDeleted);
        File.Delete(Path.Combine(halfDeleted, "state.json"));
        CopyFolder(step4, Path.Combine(checkpoints, $".step-00000003.{Guid.NewGuid():N}.pruned"));

        var (code, output) = RuntimeProcess.Run(run.Pretrain);

        Assert.True(code == ExitCodes.Success, output);
        Assert.DoesNotContain("recovered the complete checkpoint", output, StringComparison.Ordinal);
        Assert.Contains("resuming from step 4", output, StringComparison.Ordinal);
        Assert.Equal([4L], run.CheckpointSteps());
        Assert.Empty(Directory.GetDirectories(checkpoints, ".step-*"));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void AFailedMetricsWrite_CheckpointsThenStopsWithACodeAndTheFileNamed()
    {
        // Files may not grow past 256 KB: this model's checkpoint files fit, metrics.jsonl outgrows it after a few hundred steps.
        using var run = new FaultRun(c => c with
        {
            Optim = c.Optim with { TotalSteps = 5000 },
            Checkpoint = c.Checkpoint with { EverySteps = 100_000 },
            Eval = c.Eval with { EverySteps = 100_000 },
        });
        HfConfigFile.Save(new T5Config { VocabSize = 1152, DModel = 8, DKv = 4, DFf = 16, NumLayers = 1, NumDecoderLayers = 1, NumHeads = 2 }, Path.Combine(run.Folder, "model-config.json"));

        var (code, output) = RuntimeProcess.Run(run.Pretrain, fileSizeLimitKb: 256);

        Assert.True(code == ExitCodes.WriteFailed, output);
        Assert.Contains($"could not write {Path.Combine(run.RunDirectory, "metrics.jsonl")}", output, StringComparison.Ordinal);
        Assert.Contains("stop requested: checkpointing step", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        long step = Assert.Single(run.CheckpointSteps());
        Assert.InRange(step, 100, 4999);
        Assert.Null(run.Verify(step));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void APlantedMetricsLink_IsRefusedBeforeAnythingIsWrittenThroughIt()
    {
        using var run = new FaultRun();
        string victim = Path.Combine(run.Folder, "victim.txt");
        File.WriteAllText(victim, "precious\n");
        Directory.CreateDirectory(run.RunDirectory);
        File.CreateSymbolicLink(Path.Combine(run.RunDirectory, "metrics.jsonl"), victim);

        var (code, output) = RuntimeProcess.Run(run.Pretrain);

        Assert.True(code == ExitCodes.UsageOrInput, output);
        Assert.Contains("metrics.jsonl is a symbolic link", output, StringComparison.Ordinal);
        Assert.Equal("precious\n", File.ReadAllText(victim));
        Assert.False(Directory.Exists(Path.Combine(run.RunDirectory, "checkpoints")));
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
