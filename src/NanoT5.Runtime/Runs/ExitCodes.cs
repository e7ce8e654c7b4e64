// Process exit codes of the runtime, so scripts and the SDK can tell outcomes apart.
namespace NanoT5.Runs;

/// <summary>Exit codes of every verb.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>A check failed (parity outside tolerance, evaluation below a bar).</summary>
    public const int CheckFailed = 1;

    /// <summary>Bad input: a config, file or argument that cannot be used; the message says which.</summary>
    public const int UsageOrInput = 2;

    /// <summary>Stopped by SIGINT/SIGTERM after checkpointing the last completed step; resume continues it.</summary>
    public const int Interrupted = 3;

    /// <summary>Stopped after too many non-finite steps in a row; the last good checkpoint is intact.</summary>
    public const int Diverged = 4;

    /// <summary>More bad data than data.max_bad_data_fraction allows.</summary>
    public const int BadData = 5;

    /// <summary>A file could not be written (disk full, folder not writable); earlier checkpoints are intact.</summary>
    public const int WriteFailed = 6;

    /// <summary>Another live process holds the run folder; the message names its PID. Nothing was touched.</summary>
    public const int RunFolderInUse = 7;

    /// <summary>A collective of a multi-process job waited past its timeout: another rank died or hung.</summary>
    public const int RankLost = Distributed.ProcessGroups.RankLostExitCode;

    /// <summary>A second SIGINT/SIGTERM: stopped at once (128 + SIGINT, as shells report it).</summary>
    public const int Killed = 130;

    /// <summary>
    /// True for the outcomes every rank of a job reaches at the same step (done, interrupted, diverged, too much bad
    /// data), so the ranks finalize together; any other code is one rank's own failure and aborts the job.
    /// </summary>
    public static bool ReachedTogether(int exitCode) => exitCode is Success or Interrupted or Diverged or BadData;
}
