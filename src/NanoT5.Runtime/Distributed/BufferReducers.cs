// Where a bucket of gradients is summed: MPI on host memory for CPU training, NCCL on device memory for
// GPUs (MPI through host memory when this machine has no NCCL).
using static TorchSharp.torch;

namespace NanoT5.Distributed;

/// <summary>Sums a contiguous float32 tensor over all ranks, in place.</summary>
internal interface IBufferReducer : IDisposable
{
    /// <summary>"MPI on host memory".</summary>
    string Name { get; }

    void SumInPlace(Tensor flat);
}

/// <summary>Reads a tensor's data address (TorchSharp's storage view; views add their offset).</summary>
internal static class TensorAddress
{
    public static nint Of(Tensor contiguous)
    {
        if (contiguous.dtype != ScalarType.Float32 || !contiguous.is_contiguous())
        {
            throw new ArgumentException("collectives work on contiguous float32 tensors", nameof(contiguous));
        }

        using var storage = contiguous.storage<float>();
        return storage.data_ptr() + (nint)(contiguous.storage_offset() * sizeof(float));
    }
}

/// <summary>MPI_Allreduce on host memory; a device tensor is staged through a host copy.</summary>
internal sealed class MpiBufferReducer(IProcessGroup group) : IBufferReducer
{
    public string Name => "MPI_Allreduce";

    public void SumInPlace(Tensor flat)
    {
        if (flat.device_type == TorchSharp.DeviceType.CPU)
        {
            group.AllReduceSum(TensorAddress.Of(flat), flat.NumberOfElements);
            return;
        }

        using Tensor host = flat.cpu();
        group.AllReduceSum(TensorAddress.Of(host), host.NumberOfElements);
        flat.copy_(host);
    }

    public void Dispose()
    {
    }
}

/// <summary>
/// ncclAllReduce on the default CUDA stream, where TorchSharp's kernels run, so it is ordered after the
/// backward pass and before the optimizer without extra synchronisation. Each call waits for completion
/// under the watchdog, which also polls NCCL's asynchronous error: a dead peer ends the job instead of hanging it.
/// </summary>
internal sealed class NcclBufferReducer : IBufferReducer
{
    private readonly NcclLibrary nccl;
    private readonly nint comm;
    private readonly CollectiveWatchdog watchdog;
    private bool disposed;

    private NcclBufferReducer(NcclLibrary nccl, nint comm, CollectiveWatchdog watchdog)
    {
        this.nccl = nccl;
        this.comm = comm;
        this.watchdog = watchdog;
    }

    public string Name => "ncclAllReduce";

    /// <summary>Rank 0's unique id goes to every rank over MPI; each joins on its current CUDA device.</summary>
    public static unsafe NcclBufferReducer Create(NcclLibrary nccl, IProcessGroup group, TimeSpan timeout, TextWriter log, int timeoutExitCode)
    {
        NcclUniqueId id = group.IsRoot ? nccl.GetUniqueId() : default;
        group.BroadcastFromRoot(new Span<byte>(id.Bytes, NcclUniqueId.Length));
        nint comm = nccl.InitRank(group.Size, id, group.Rank);
        string? Poll() => nccl.AsyncError(comm);
        return new NcclBufferReducer(nccl, comm, new CollectiveWatchdog(timeout, log, timeoutExitCode, Poll));
    }

    public void SumInPlace(Tensor flat)
    {
        using var wait = watchdog.Enter($"ncclAllReduce of {flat.NumberOfElements:N0} floats");
        nccl.AllReduceSumInPlace(comm, TensorAddress.Of(flat), flat.NumberOfElements);
        TorchSharp.torch.cuda.synchronize(flat.device);
        if (nccl.AsyncError(comm) is string error)
        {
            throw new MpiException($"ncclAllReduce failed: {error}");
        }
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        watchdog.Dispose();
        if (nccl.AsyncError(comm) is null)
        {
            nccl.Destroy(comm);
        }
        else
        {
            nccl.Abort(comm);
        }
    }
}
