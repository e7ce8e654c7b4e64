// A training run reports to the writers it is handed (RunConsole), not to the process console, and ends with the
// exit code ExitCodes gives its outcome.
using NanoT5.Runs;
using NanoT5.Tests.FaultTolerance;

namespace NanoT5.Tests.Runs;

[Collection(ConsoleCollection.Name)]
public sealed class TrainingRunTests
{
    [Fact]
    [Trait("Category", "Slow")]
    public void Pretrain_ReportsToTheConsoleItIsHanded_AndEndsWithSuccess()
    {
        using var run = new FaultRun(c => c with { Optim = c.Optim with { TotalSteps = 2 } });
        using var output = new StringWriter();
        using var error = new StringWriter();

        (int code, string processOutput, string processError) = ConsoleCollection.CaptureWithError(
            () => PretrainingRun.Pretrain(run.Config, console: new RunConsole(output, error, Interactive: false)));

        Assert.True(code == ExitCodes.Success, output.ToString() + error);
        string[] lines = output.ToString().Split('\n');
        Assert.Contains(lines, l => l.StartsWith("pretrain 'fault': ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("[eval] step 2 | loss ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("exported HuggingFace model: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("run folder: ", StringComparison.Ordinal));
        Assert.DoesNotContain("pretrain 'fault'", processOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("[eval]", processOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("[train]", processOutput + processError, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Pretrain_StoppedBeforeItsFirstStep_CheckpointsStepZeroAndEndsInterrupted()
    {
        using var run = new FaultRun();
        using var output = new StringWriter();
        using var stop = new CancellationTokenSource();
        stop.Cancel();

        (int code, _) = ConsoleCollection.Capture(
            () => PretrainingRun.Pretrain(run.Config, stop: stop.Token, console: new RunConsole(output, TextWriter.Null, Interactive: false)));

        Assert.True(code == ExitCodes.Interrupted, output.ToString());
        Assert.Contains("interrupted at step 0; run the same command again to resume.", output.ToString(), StringComparison.Ordinal);
        Assert.Equal([0L], run.CheckpointSteps());
    }
}
