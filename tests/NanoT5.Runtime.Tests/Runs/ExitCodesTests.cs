using NanoT5.Distributed;
using NanoT5.Runs;

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
}
