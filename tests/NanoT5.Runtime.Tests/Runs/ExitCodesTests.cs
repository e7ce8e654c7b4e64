using NanoT5.Data.Sources;
using NanoT5.Distributed;
using NanoT5.IO;
using NanoT5.Native;
using NanoT5.Runs;
using NanoT5.Training;

namespace NanoT5.Tests.Runs;

public sealed class ExitCodesTests
{
    [Fact]
    public void ReachedTogether_IsTrueForTheOutcomesEveryRankReachesAtTheSameStep()
    {
        int[] codes = [ExitCodes.Success, ExitCodes.CheckFailed, ExitCodes.UsageOrInput, ExitCodes.Interrupted, ExitCodes.Diverged,
            ExitCodes.BadData, ExitCodes.WriteFailed, ExitCodes.RunFolderInUse, ExitCodes.RankLost, ExitCodes.Killed];

        Assert.Equal([ExitCodes.Success, ExitCodes.Interrupted, ExitCodes.Diverged, ExitCodes.BadData], codes.Where(ExitCodes.ReachedTogether));
    }

    [Fact]
    public void RankLost_IsTheDocumentedCodeTheCollectiveWatchdogExitsWith()
    {
        // docs/reliability.md gives 8; Distributed owns the value, Runs names it.
        Assert.Equal((8, 8), (ProcessGroups.RankLostExitCode, ExitCodes.RankLost));
    }

    [Fact]
    public void Codes_KeepTheValuesScriptsAndTheSdkRelyOn()
    {
        Assert.Equal(
            [0, 1, 2, 3, 4, 5, 6, 7, 8, 130],
            [ExitCodes.Success, ExitCodes.CheckFailed, ExitCodes.UsageOrInput, ExitCodes.Interrupted, ExitCodes.Diverged,
                ExitCodes.BadData, ExitCodes.WriteFailed, ExitCodes.RunFolderInUse, ExitCodes.RankLost, ExitCodes.Killed]);
    }

    [Fact]
    public void Of_AnException_IsTheCodeItsMessageExplains()
    {
        Exception[] exceptions =
        [
            new InvalidDataException("bad config"), new FileNotFoundException("no file"), new DirectoryNotFoundException("no folder"),
            new ArgumentException("bad argument"), new TorchLoadException("no libtorch", new DllNotFoundException()),
            new BadDataLimitException("too much bad data"), new RunFolderInUseException("held by PID 7"),
            new IOException("disk full"), new UnauthorizedAccessException("read-only"), new RunFolderEscapeException("a link"),
        ];

        Assert.Equal(
            [ExitCodes.UsageOrInput, ExitCodes.UsageOrInput, ExitCodes.UsageOrInput, ExitCodes.UsageOrInput, ExitCodes.UsageOrInput,
                ExitCodes.BadData, ExitCodes.RunFolderInUse, ExitCodes.WriteFailed, ExitCodes.WriteFailed, ExitCodes.WriteFailed],
            exceptions.Select(e => ExitCodes.Of(e)));
        Assert.All(exceptions, e => Assert.True(ExitCodes.IsExplained(e)));
    }

    [Fact]
    public void Of_AnUnexpectedException_IsNoCodeAloneAndCheckFailedInAJobOfSeveralRanks()
    {
        var bug = new InvalidOperationException("a bug");

        Assert.Equal(((int?)null, (int?)ExitCodes.CheckFailed, false), (ExitCodes.Of(bug), ExitCodes.Of(bug, processes: 2), ExitCodes.IsExplained(bug)));
        Assert.Equal(ExitCodes.UsageOrInput, ExitCodes.Of(new ArgumentException("bad"), processes: 2));
    }

    [Fact]
    public void Of_ATrainingEnd_IsItsOutcomeUnlessTheRecordCouldNotBeWritten()
    {
        Assert.Equal(
            [ExitCodes.Success, ExitCodes.Interrupted, ExitCodes.Diverged],
            new[] { TrainingEnd.Completed, TrainingEnd.Interrupted, TrainingEnd.Diverged }.Select(end => ExitCodes.Of(end)));
        Assert.All(Enum.GetValues<TrainingEnd>(), end => Assert.Equal(ExitCodes.WriteFailed, ExitCodes.Of(end, recorded: false)));
        Assert.Equal((ExitCodes.Success, ExitCodes.WriteFailed), (ExitCodes.OfMeasurement(recorded: true), ExitCodes.OfMeasurement(recorded: false)));
    }
}
