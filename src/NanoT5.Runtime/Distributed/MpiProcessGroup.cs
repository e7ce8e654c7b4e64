// The job's ranks over Open MPI: initialised once per process, errors returned as codes (turned into
// exceptions), every collective watched by a timeout, buffers over 2^31 - 1 elements split (MPI counts are int).
namespace NanoT5.Distributed;

/// <summary>MPI_COMM_WORLD of this job.</summary>
internal sealed class MpiProcessGroup : IProcessGroup, IDisposable
{
    /// <summary>Largest element count one MPI call takes.</summary>
    internal const int MaxCount = int.MaxValue;

    private readonly MpiLibrary mpi;
    private readonly LaunchInfo launch;
    private readonly CollectiveWatchdog watchdog;
    private bool ended;

    private MpiProcessGroup(MpiLibrary mpi, LaunchInfo launch, CollectiveWatchdog watchdog)
    {
        this.mpi = mpi;
        this.launch = launch;
        this.watchdog = watchdog;
        Rank = mpi.Rank();
        Size = mpi.Size();
    }

    public int Rank { get; }

    public int Size { get; }

    public int LocalRank => launch.LocalRank;

    /// <summary>
    /// Initialises MPI and checks that it sees the job <paramref name="launch"/> describes; a mismatch (srun
    /// without PMI, a hand-set WORLD_SIZE) is refused rather than training N unrelated copies.
    /// </summary>
    public static MpiProcessGroup Start(LaunchInfo launch, TimeSpan timeout, TextWriter log, int timeoutExitCode)
    {
        MpiLibrary mpi = MpiLibrary.Load();
        if (!mpi.IsInitialized())
        {
            mpi.InitThread(MpiLibrary.ThreadSerialized);
        }

        mpi.ReturnErrors();
        var group = new MpiProcessGroup(mpi, launch, new CollectiveWatchdog(timeout, log, timeoutExitCode));
        if (group.Size != launch.Size || group.Rank != launch.Rank)
        {
            string message =
                $"{launch.Launcher} started this process as rank {launch.Rank} of {launch.Size}, but MPI sees rank {group.Rank} of {group.Size}: " +
                (launch.Launcher == "srun"
                    ? "srun needs MPI support (srun --mpi=pmix, or --mpi=pmi2; `srun --mpi=list` shows what this cluster has)."
                    : "start the job with mpirun (or srun --mpi=pmix) so every process joins one MPI job.");
            group.Abandon();
            throw new ArgumentException(message);
        }

        return group;
    }

    public string Describe() => $"rank {Rank} of {Size} ({launch.Launcher}, Open MPI)";

    public unsafe void AllReduceSum(Span<double> values)
    {
        using var wait = watchdog.Enter($"MPI_Allreduce of {values.Length} double(s)");
        fixed (double* p = values)
        {
            for (long offset = 0; offset < values.Length; offset += MaxCount)
            {
                mpi.AllReduceSumInPlace((nint)(p + offset), (int)Math.Min(MaxCount, values.Length - offset), mpi.Double);
            }
        }
    }

    public unsafe void AllReduceSum(nint buffer, long count)
    {
        using var wait = watchdog.Enter($"MPI_Allreduce of {count:N0} floats");
        for (long offset = 0; offset < count; offset += MaxCount)
        {
            mpi.AllReduceSumInPlace(buffer + (nint)(offset * sizeof(float)), (int)Math.Min(MaxCount, count - offset), mpi.Float);
        }
    }

    public unsafe void BroadcastFromRoot(Span<byte> bytes)
    {
        using var wait = watchdog.Enter($"MPI_Bcast of {bytes.Length} bytes");
        fixed (byte* p = bytes)
        {
            mpi.Broadcast((nint)p, bytes.Length, mpi.Byte, root: 0);
        }
    }

    /// <summary>
    /// Ends MPI for this process: an orderly finalize when every rank reaches the end with the same outcome,
    /// MPI_Abort otherwise (so no peer waits forever in a collective this rank will never join).
    /// </summary>
    public void End(bool together, int exitCode)
    {
        if (ended)
        {
            return;
        }

        ended = true;
        if (together)
        {
            using (watchdog.Enter("MPI_Barrier at the end"))
            {
                mpi.Barrier();
            }

            watchdog.Dispose();
            mpi.FinalizeMpi();
        }
        else
        {
            Console.Out.Flush();
            Console.Error.Flush();
            mpi.Abort(exitCode);
        }
    }

    public void Dispose() => End(together: true, 0);

    // Each process of a mismatched job is alone in its own MPI world: finalizing it waits for nobody.
    private void Abandon()
    {
        ended = true;
        watchdog.Dispose();
        mpi.FinalizeMpi();
    }
}
