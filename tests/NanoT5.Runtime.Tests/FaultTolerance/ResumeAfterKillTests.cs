using NanoT5.Runs;

namespace NanoT5.Tests.FaultTolerance;

[Collection(TorchCollection.Name)]
[Trait("Category", "Slow")]
public sealed class ResumeAfterKillTests
{
    [Fact]
    public void KillDash9_AtArbitraryMoments_ThenResume_GivesTheUninterruptedRunsLossesAndWeights()
    {
        // Batches of 128 rows make a step last long enough to be killed in its middle.
        static NanoT5.Config.ExperimentConfig Slower(NanoT5.Config.ExperimentConfig c) =>
            c with { Optim = c.Optim with { BatchSize = 128, TotalSteps = 12 }, Checkpoint = c.Checkpoint with { EverySteps = 3 } };
        using var straight = new FaultRun(Slower);
        var (code, output) = RuntimeProcess.Run(straight.Pretrain);
        Assert.True(code == ExitCodes.Success, output);

        using var killed = new FaultRun(Slower);
        var random = new Random(3);
        int kills = 0;
        while (kills < 3 && killed.CheckpointSteps().LastOrDefault() < 12)
        {
            long before = killed.CheckpointSteps().LastOrDefault();
            using var run = RuntimeProcess.Start(killed.Pretrain);
            // Wait for a new complete checkpoint, then kill at an arbitrary moment shortly after (in the
            // middle of a step, an evaluation or the next checkpoint's files).
            run.WaitUntil(() => killed.CheckpointSteps().LastOrDefault() > before, "a new checkpoint");
            Thread.Sleep(random.Next(0, 600));
            run.KillHard();
            run.WaitForExit();
            kills++;
        }

        Assert.True(kills >= 2, "the run finished before it could be killed twice");

        Assert.All(killed.CheckpointSteps(), step => Assert.Null(killed.Verify(step)));
        var (resumedCode, resumedOutput) = RuntimeProcess.Run(killed.Pretrain);

        Assert.True(resumedCode == ExitCodes.Success, resumedOutput);
        Assert.Contains("resuming from step", resumedOutput, StringComparison.Ordinal);
        Assert.Equal(straight.Losses(), killed.Losses());
        Assert.Equal(straight.ExportedWeights(), killed.ExportedWeights());
    }

    [Fact]
    public void Resume_FromADamagedLatestCheckpoint_FallsBackToThePreviousOneAndSaysSo()
    {
        using var run = new FaultRun(c => c with { Optim = c.Optim with { TotalSteps = 4 } });
        Assert.Equal(ExitCodes.Success, RuntimeProcess.Run(run.Pretrain).ExitCode);
        string latestWeights = Path.Combine(run.RunDirectory, "checkpoints", "step-00000004", "model.safetensors");
        byte[] bytes = File.ReadAllBytes(latestWeights);
        bytes[^10] ^= 0xff;
        File.WriteAllBytes(latestWeights, bytes);
        // A longer run continues from the newest checkpoint that verifies.
        string longer = run.ConfigPath.Replace("experiment.json", "longer.json", StringComparison.Ordinal);
        NanoT5.Config.ExperimentConfigJson.Save(run.Config with { Optim = run.Config.Optim with { TotalSteps = 6 } }, longer);

        var (code, output) = RuntimeProcess.Run(["pretrain", "--config", longer]);

        Assert.True(code == ExitCodes.Success, output);
        Assert.Contains("step-00000004 is damaged (model.safetensors does not match its SHA-256)", output, StringComparison.Ordinal);
        Assert.Contains("resuming from step 2", output, StringComparison.Ordinal);
    }
}
