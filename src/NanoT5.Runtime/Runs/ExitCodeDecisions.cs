// Which outcome or exception ends a verb with which exit code (the codes: ExitCodes.cs). The one place that decides it:
// DecisionOwnerTests fails on a decision made elsewhere.
using NanoT5.Data.Sources;
using NanoT5.Native;
using NanoT5.Training;

namespace NanoT5.Runs;

/// <summary>The one mapping from outcomes and exceptions to exit codes.</summary>
public static partial class ExitCodes
{
    /// <summary>
    /// True for the outcomes every rank of a job reaches at the same step (done, interrupted, diverged, too much bad
    /// data), so the ranks finalize together; any other code is one rank's own failure and aborts the job.
    /// </summary>
    public static bool ReachedTogether(int exitCode) => exitCode is Success or Interrupted or Diverged or BadData;

    /// <summary>
    /// The code of a training run that ended with <paramref name="end"/>; <see cref="WriteFailed"/> whatever the end
    /// when the run's record could not be written (<paramref name="recorded"/> false).
    /// </summary>
    public static int Of(TrainingEnd end, bool recorded = true) => !recorded ? WriteFailed : end switch
    {
        TrainingEnd.Completed => Success,
        TrainingEnd.Interrupted => Interrupted,
        _ => Diverged,
    };

    /// <summary>The code of a measurement (evaluate, predict) that ran to its end: <see cref="WriteFailed"/> when its record could not be written.</summary>
    public static int OfMeasurement(bool recorded) => recorded ? Success : WriteFailed;

    /// <summary>
    /// The code of a verb that threw <paramref name="exception"/> in a job of <paramref name="processes"/> processes:
    /// an outcome its message explains (<see cref="IsExplained"/>); in a job of several processes any other exception is
    /// <see cref="CheckFailed"/>, so that the job ends instead of leaving its peers in a collective. Null for an
    /// unexpected exception of a process alone: it ends the process with its stack trace.
    /// </summary>
    public static int? Of(Exception exception, int processes = 1) => exception switch
    {
        // Bad input first: a missing file is an IOException, but the user's to fix.
        InvalidDataException or FileNotFoundException or DirectoryNotFoundException or ArgumentException or TorchLoadException => UsageOrInput,
        BadDataLimitException => BadData,
        RunFolderInUseException => RunFolderInUse,
        IOException or UnauthorizedAccessException => WriteFailed,
        _ => processes > 1 ? CheckFailed : null,
    };

    /// <summary>True when <paramref name="exception"/> is an outcome its message explains (bad input, bad data, a folder in use, a failed write): one line, not a stack trace.</summary>
    public static bool IsExplained(Exception exception) => Of(exception) is not null;
}
