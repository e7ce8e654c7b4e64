using System.Diagnostics;
using NanoT5.Data.Tokenizers;
using NanoT5.Testing;

namespace NanoT5.Tests;

public sealed class SlowTraitTests
{
    [Fact]
    public void EveryTestThatStartsAProcess_CarriesTheSlowTrait()
    {
        IReadOnlyList<string> unmarked = SlowTraitAudit.UnmarkedProcessTests(typeof(SlowTraitTests).Assembly);

        Assert.True(unmarked.Count == 0, "these tests start a process; mark them [Trait(\"Category\", \"Slow\")]:\n" + string.Join("\n", unmarked));
    }

    [Fact]
    public void TheAudit_SeesProcessesStartedThroughHelpersAndTheRuntime()
    {
        var found = SlowTraitAudit.ProcessTests(typeof(SlowTraitTests).Assembly).Select(SlowTraitAudit.Name).ToList();

        Assert.Contains("SignalTests.OneSignal_FinishesTheStepCheckpointsFlushesAndExitsWithItsOwnCode", found); // via RuntimeProcess
        Assert.DoesNotContain("RougeCommandTests.Run_ValidFile_PrintsMeanRougeLAndCount", found); // the CLI in process
        Assert.True(SlowTraitAudit.StartsProcess(Helper(nameof(StartsOneThroughALambda))));
        Assert.True(SlowTraitAudit.StartsProcess(Helper(nameof(TrainsATokenizer)))); // inside the runtime's SentencePieceTrainer
        Assert.False(SlowTraitAudit.StartsProcess(typeof(SlowTraitTests).GetMethod(nameof(TheAudit_SeesProcessesStartedThroughHelpersAndTheRuntime))!));
    }

    private static System.Reflection.MethodInfo Helper(string name) =>
        typeof(SlowTraitTests).GetMethod(name, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    private static void TrainsATokenizer() =>
        SentencePieceTrainer.Train(new SentencePieceTrainingOptions { Sources = ["corpus.txt"], OutputPath = "spiece.model" }, TextWriter.Null, "/nonexistent");

    private static void StartsOneThroughALambda()
    {
        Func<Process?> start = () => Process.Start("true");
        using Process? process = start();
    }
}
