// NVIDIA's collective library, bound at run time to libnccl.so.2 (shipped with CUDA PyTorch as the
// nvidia-nccl package, and by NVIDIA's libnccl2 package). Only what gradient all-reduce needs: the unique id
// rank 0 creates and MPI broadcasts, communicator set-up, all-reduce on the default stream, and the
// asynchronous error check and abort that keep a dead peer from hanging the job.
using System.Runtime.InteropServices;

namespace NanoT5.Distributed;

/// <summary>ncclUniqueId: 128 opaque bytes, passed by value to ncclCommInitRank.</summary>
[StructLayout(LayoutKind.Sequential, Size = NcclUniqueId.Length)]
internal unsafe struct NcclUniqueId
{
    public const int Length = 128;

    public fixed byte Bytes[Length];
}

/// <summary>Function pointers of libnccl.so.2.</summary>
internal sealed unsafe class NcclLibrary
{
    public const string SoName = "libnccl.so.2";

    /// <summary>ncclFloat32 in nccl.h.</summary>
    public const int Float32 = 7;

    /// <summary>ncclSum.</summary>
    public const int Sum = 0;

    /// <summary>ncclInProgress: a non-blocking communicator is still working (not an error).</summary>
    public const int InProgress = 7;

    private readonly delegate* unmanaged<NcclUniqueId*, int> getUniqueId;
    private readonly delegate* unmanaged<nint*, int, NcclUniqueId, int, int> commInitRank;
    private readonly delegate* unmanaged<nint, nint, nuint, int, int, nint, nint, int> allReduce;
    private readonly delegate* unmanaged<nint, int*, int> commGetAsyncError;
    private readonly delegate* unmanaged<nint, int> commAbort;
    private readonly delegate* unmanaged<nint, int> commDestroy;
    private readonly delegate* unmanaged<int, nint> getErrorString;

    private NcclLibrary(nint handle)
    {
        getUniqueId = (delegate* unmanaged<NcclUniqueId*, int>)Export(handle, "ncclGetUniqueId");
        commInitRank = (delegate* unmanaged<nint*, int, NcclUniqueId, int, int>)Export(handle, "ncclCommInitRank");
        allReduce = (delegate* unmanaged<nint, nint, nuint, int, int, nint, nint, int>)Export(handle, "ncclAllReduce");
        commGetAsyncError = (delegate* unmanaged<nint, int*, int>)Export(handle, "ncclCommGetAsyncError");
        commAbort = (delegate* unmanaged<nint, int>)Export(handle, "ncclCommAbort");
        commDestroy = (delegate* unmanaged<nint, int>)Export(handle, "ncclCommDestroy");
        getErrorString = (delegate* unmanaged<int, nint>)Export(handle, "ncclGetErrorString");
    }

    /// <summary>Loads NCCL, or returns null when this machine has none (the caller falls back to MPI through host memory).</summary>
    public static NcclLibrary? TryLoad() => NativeLibrary.TryLoad(SoName, out nint handle) ? new NcclLibrary(handle) : null;

    public NcclUniqueId GetUniqueId()
    {
        NcclUniqueId id;
        Check(getUniqueId(&id), "ncclGetUniqueId");
        return id;
    }

    /// <summary>Joins the communicator of <paramref name="size"/> ranks on the current CUDA device.</summary>
    public nint InitRank(int size, NcclUniqueId id, int rank)
    {
        nint comm;
        Check(commInitRank(&comm, size, id, rank), "ncclCommInitRank");
        return comm;
    }

    /// <summary>In-place sum of <paramref name="count"/> float32 values at device address <paramref name="buffer"/>, on the default stream.</summary>
    public void AllReduceSumInPlace(nint comm, nint buffer, long count) =>
        Check(allReduce(buffer, buffer, (nuint)count, Float32, Sum, comm, 0), "ncclAllReduce");

    /// <summary>The communicator's asynchronous error (a peer lost, a network failure), or null.</summary>
    public string? AsyncError(nint comm)
    {
        int state;
        int code = commGetAsyncError(comm, &state);
        int error = code != 0 ? code : state;
        return error is 0 or InProgress ? null : $"NCCL error {error}: {Marshal.PtrToStringAnsi(getErrorString(error))}";
    }

    public void Abort(nint comm) => _ = commAbort(comm);

    public void Destroy(nint comm) => Check(commDestroy(comm), "ncclCommDestroy");

    private static nint Export(nint handle, string name) =>
        NativeLibrary.TryGetExport(handle, name, out nint address)
            ? address
            : throw new EntryPointNotFoundException($"{SoName} has no export '{name}': NCCL 2.12 or later is needed.");

    private void Check(int code, string call)
    {
        if (code != 0)
        {
            throw new MpiException($"{call} failed with NCCL error {code}: {Marshal.PtrToStringAnsi(getErrorString(code))}");
        }
    }
}
