// Process exit codes of the runtime, so scripts and the SDK can tell outcomes apart. Compiled into the runtime and, by
// link, into the SDK's tasks (which report a run stopped by a signal by its code), so this file uses only the BCL;
// which outcome or exception ends a verb with which code is decided beside it, in ExitCodeDecisions.cs.
namespace NanoT5.Runs;

/// <summary>Exit codes of every verb (the one mapping from outcomes and exceptions to them: ExitCodeDecisions.cs).</summary>
#if NANOT5_SDK_TASKS
internal
#else
public
#endif
static partial class ExitCodes
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

#if !NANOT5_SDK_TASKS
    /// <summary>A collective of a multi-process job waited past its timeout: another rank died or hung (its watchdog's own code).</summary>
    public const int RankLost = Distributed.ProcessGroups.RankLostExitCode;
#endif

    /// <summary>A second SIGINT/SIGTERM: stopped at once (128 + SIGINT, as shells report it).</summary>
    public const int Killed = 130;
}
