// The process's place in a job, joined once: nothing happens for a process started on its own; under
// mpirun or srun it initialises MPI, checks the world size against the launcher's, and prefixes the
// console with the rank. At exit, ranks that reach the same outcome finalize together; a rank that fails
// alone aborts the job, so no peer waits in a collective it will never complete.
using static TorchSharp.torch;

namespace NanoT5.Distributed;

/// <summary>The job this process belongs to.</summary>
public static class ProcessGroups
{
    /// <summary>
    /// Longest wait of one collective before this rank gives up. Ranks wait in the gradient all-reduce while
    /// rank 0 writes a checkpoint, so this is minutes; a dead rank is normally reported by the launcher in seconds.
    /// </summary>
    public static readonly TimeSpan CollectiveTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The exit code of a rank whose collective waited past <see cref="CollectiveTimeout"/> (another rank died or hung).</summary>
    public const int RankLostExitCode = 8;

    private static readonly Lock Gate = new();
    private static MpiProcessGroup? mpi;
    private static LaunchInfo? launch;

    /// <summary>
    /// The launcher's view of this process (ranks, local ranks), read from its variables once. Only this class reads
    /// them: the rest of the runtime asks the joined group (<see cref="IProcessGroup.IsRoot"/>), or this.
    /// </summary>
    public static LaunchInfo Launch
    {
        get
        {
            lock (Gate)
            {
                return launch ??= LaunchInfo.FromEnvironment();
            }
        }
    }

    /// <summary>The joined group; a single process until <see cref="Join"/> finds a launcher.</summary>
    public static IProcessGroup Current => (IProcessGroup?)mpi ?? SingleProcess.Instance;

    /// <summary>Joins the job this process was launched into (idempotent).</summary>
    public static IProcessGroup Join()
    {
        lock (Gate)
        {
            if (mpi is not null)
            {
                return mpi;
            }

            LaunchInfo launched = launch ??= LaunchInfo.FromEnvironment();
            if (!launched.IsDistributed)
            {
                return SingleProcess.Instance;
            }

            mpi = MpiProcessGroup.Start(launched, CollectiveTimeout, Console.Error, RankLostExitCode);
            RankPrefixWriter.Install(mpi.Rank);
            return mpi;
        }
    }

    /// <summary>
    /// The gradient reduction of a data-parallel run on <paramref name="device"/>, or null for one process:
    /// NCCL for CUDA devices where libnccl.so.2 loads, MPI on host memory otherwise.
    /// </summary>
    public static DataParallel? CreateDataParallel(Device device, TextWriter log)
    {
        IProcessGroup group = Current;
        if (group.Size == 1)
        {
            return null;
        }

        if (device.type != TorchSharp.DeviceType.CUDA)
        {
            return new DataParallel(group, new MpiBufferReducer(group));
        }

        if (NcclLibrary.TryLoad() is NcclLibrary nccl)
        {
            return new DataParallel(group, NcclBufferReducer.Create(nccl, group, CollectiveTimeout, Console.Error, RankLostExitCode));
        }

        log.WriteLine($"note: {NcclLibrary.SoName} was not found (add the folder of CUDA PyTorch's nvidia/nccl/lib or NVIDIA's libnccl2 to LD_LIBRARY_PATH); gradients are summed with MPI through host memory, which is slower.");
        return new DataParallel(group, new MpiBufferReducer(group));
    }

    /// <summary>
    /// Leaves the job with <paramref name="exitCode"/>: an outcome every rank reaches <paramref name="together"/>
    /// finalizes MPI; anything else aborts the whole job with that code.
    /// </summary>
    public static void End(int exitCode, bool together)
    {
        lock (Gate)
        {
            mpi?.End(together, exitCode);
        }
    }
}
