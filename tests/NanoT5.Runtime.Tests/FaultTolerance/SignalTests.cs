using System.Text.Json.Nodes;
using NanoT5.Runs;

namespace NanoT5.Tests.FaultTolerance;

[Collection(TorchCollection.Name)]
[Trait("Category", "Slow")]
public sealed class SignalTests
{
    private const int Sigint = 2;
    private const int Sigterm = 15;

    [Theory]
    [InlineData(Sigterm)]
    [InlineData(Sigint)]
    public void OneSignal_FinishesTheStepCheckpointsFlushesAndExitsWithItsOwnCode(int signal)
    {
        using var run = new FaultRun(c => c with { Optim = c.Optim with { TotalSteps = 100_000 }, Checkpoint = c.Checkpoint with { EverySteps = 100_000 } });
        using var process = RuntimeProcess.Start(run.Pretrain);
        process.WaitUntil(() => File.Exists(Path.Combine(run.RunDirectory, "metrics.jsonl")) && run.Losses().Count >= 3, "three logged steps");

        process.Signal(signal);
        int code = process.WaitForExit();

        Assert.True(code == ExitCodes.Interrupted, process.Output);
        long step = Assert.Single(run.CheckpointSteps());
        Assert.Null(run.Verify(step));
        Assert.Equal(step, run.Losses().Keys.Max());
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(run.RunDirectory, "summary.json")))!;
        Assert.Equal("killed", summary["status"]!.GetValue<string>());
        Assert.Contains("run the same command again to resume", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void ASecondSignal_ExitsAtOnceLeavingEveryCompleteCheckpointValid()
    {
        // Large batches make each step last long enough for the second signal to land inside it.
        using var run = new FaultRun(c => c with { Optim = c.Optim with { TotalSteps = 100_000, BatchSize = 4096 }, Checkpoint = c.Checkpoint with { EverySteps = 1 } });
        using var process = RuntimeProcess.Start(run.Pretrain);
        process.WaitUntil(() => run.CheckpointSteps().Length >= 2, "two checkpoints");

        process.Signal(Sigterm);
        process.WaitUntil(() => process.Output.Contains("finishing the current step", StringComparison.Ordinal), "the first signal's message");
        process.Signal(Sigterm);
        int code = process.WaitForExit();

        Assert.True(code == ExitCodes.Killed, $"exit code {code}:\n{process.Output}");
        Assert.Contains("again: stopping now, without a checkpoint", process.Output, StringComparison.Ordinal);
        Assert.All(run.CheckpointSteps(), s => Assert.Null(run.Verify(s)));
    }
}
