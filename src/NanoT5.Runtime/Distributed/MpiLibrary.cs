// The handful of MPI calls data-parallel training needs, bound to Open MPI's libmpi.so.40 at run time.
// NuGet's MPI.NET speaks MS-MPI's integer handles and crashes on Open MPI, whose predefined handles
// (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, ...) are the addresses of exported globals: they are looked up
// with NativeLibrary.GetExport. Every call's return code is checked (errors return, they do not abort).
using System.Runtime.InteropServices;

namespace NanoT5.Distributed;

/// <summary>An MPI call that returned an error code.</summary>
public sealed class MpiException(string message) : Exception(message);

/// <summary>Function pointers and predefined handles of Open MPI.</summary>
internal sealed unsafe class MpiLibrary
{
    /// <summary>The soname of Open MPI 3.x/4.x/5.x (Debian/Ubuntu package libopenmpi3).</summary>
    public const string SoName = "libmpi.so.40";

    /// <summary>MPI_THREAD_SERIALIZED: one thread at a time calls MPI (the training thread).</summary>
    public const int ThreadSerialized = 2;

    private readonly delegate* unmanaged<int*, int> initialized;
    private readonly delegate* unmanaged<int*, nint, int, int*, int> initThread;
    private readonly delegate* unmanaged<int> finalize;
    private readonly delegate* unmanaged<nint, int*, int> commRank;
    private readonly delegate* unmanaged<nint, int*, int> commSize;
    private readonly delegate* unmanaged<nint, nint, int> commSetErrhandler;
    private readonly delegate* unmanaged<nint, nint, int, nint, nint, nint, int> allreduce;
    private readonly delegate* unmanaged<nint, int, nint, int, nint, int> bcast;
    private readonly delegate* unmanaged<nint, int> barrier;
    private readonly delegate* unmanaged<nint, int, int> abort;
    private readonly delegate* unmanaged<int, byte*, int*, int> errorString;

    private MpiLibrary(nint handle)
    {
        initialized = (delegate* unmanaged<int*, int>)Export(handle, "MPI_Initialized");
        initThread = (delegate* unmanaged<int*, nint, int, int*, int>)Export(handle, "MPI_Init_thread");
        finalize = (delegate* unmanaged<int>)Export(handle, "MPI_Finalize");
        commRank = (delegate* unmanaged<nint, int*, int>)Export(handle, "MPI_Comm_rank");
        commSize = (delegate* unmanaged<nint, int*, int>)Export(handle, "MPI_Comm_size");
        commSetErrhandler = (delegate* unmanaged<nint, nint, int>)Export(handle, "MPI_Comm_set_errhandler");
        allreduce = (delegate* unmanaged<nint, nint, int, nint, nint, nint, int>)Export(handle, "MPI_Allreduce");
        bcast = (delegate* unmanaged<nint, int, nint, int, nint, int>)Export(handle, "MPI_Bcast");
        barrier = (delegate* unmanaged<nint, int>)Export(handle, "MPI_Barrier");
        abort = (delegate* unmanaged<nint, int, int>)Export(handle, "MPI_Abort");
        errorString = (delegate* unmanaged<int, byte*, int*, int>)Export(handle, "MPI_Error_string");
        CommWorld = Export(handle, "ompi_mpi_comm_world");
        Float = Export(handle, "ompi_mpi_float");
        Double = Export(handle, "ompi_mpi_double");
        Byte = Export(handle, "ompi_mpi_byte");
        Sum = Export(handle, "ompi_mpi_op_sum");
        ErrorsReturn = Export(handle, "ompi_mpi_errors_return");
    }

    /// <summary>MPI_IN_PLACE in Open MPI's mpi.h.</summary>
    public static nint InPlace => 1;

    public nint CommWorld { get; }

    public nint Float { get; }

    public nint Double { get; }

    public nint Byte { get; }

    public nint Sum { get; }

    public nint ErrorsReturn { get; }

    /// <summary>Loads Open MPI; throws <see cref="DllNotFoundException"/> with what to install when it is missing.</summary>
    public static MpiLibrary Load()
    {
        if (!NativeLibrary.TryLoad(SoName, out nint handle))
        {
            throw new DllNotFoundException(
                $"{SoName} (Open MPI) could not be loaded, but this process was started by an MPI launcher: install Open MPI " +
                "(Debian/Ubuntu: apt-get install openmpi-bin libopenmpi3) or add its lib folder to LD_LIBRARY_PATH. MPICH is not supported (other handle ABI).");
        }

        return new MpiLibrary(handle);
    }

    public bool IsInitialized()
    {
        int flag;
        Check(initialized(&flag), "MPI_Initialized");
        return flag != 0;
    }

    /// <summary>MPI_Init_thread with no arguments; returns the thread level granted.</summary>
    public int InitThread(int required)
    {
        int provided;
        Check(initThread(null, 0, required, &provided), "MPI_Init_thread");
        return provided;
    }

    public void FinalizeMpi() => Check(finalize(), "MPI_Finalize");

    public int Rank()
    {
        int rank;
        Check(commRank(CommWorld, &rank), "MPI_Comm_rank");
        return rank;
    }

    public int Size()
    {
        int size;
        Check(commSize(CommWorld, &size), "MPI_Comm_size");
        return size;
    }

    /// <summary>Failures of collectives on MPI_COMM_WORLD come back as codes instead of aborting the job silently.</summary>
    public void ReturnErrors() => Check(commSetErrhandler(CommWorld, ErrorsReturn), "MPI_Comm_set_errhandler");

    /// <summary>In-place MPI_Allreduce(SUM) of <paramref name="count"/> elements (count fits an int: split larger buffers).</summary>
    public void AllReduceSumInPlace(nint buffer, int count, nint datatype) =>
        Check(allreduce(InPlace, buffer, count, datatype, Sum, CommWorld), "MPI_Allreduce");

    public void Broadcast(nint buffer, int count, nint datatype, int root) =>
        Check(bcast(buffer, count, datatype, root, CommWorld), "MPI_Bcast");

    public void Barrier() => Check(barrier(CommWorld), "MPI_Barrier");

    /// <summary>MPI_Abort on MPI_COMM_WORLD: the launcher ends every rank with <paramref name="code"/>.</summary>
    public void Abort(int code) => abort(CommWorld, code);

    private static nint Export(nint handle, string name) =>
        NativeLibrary.TryGetExport(handle, name, out nint address)
            ? address
            : throw new EntryPointNotFoundException($"{SoName} has no export '{name}': it is not an Open MPI 3.x-5.x library.");

    private void Check(int code, string call)
    {
        if (code == 0)
        {
            return;
        }

        byte* text = stackalloc byte[512]; // MPI_MAX_ERROR_STRING is 256 in Open MPI
        int length = 0;
        string reason = errorString(code, text, &length) == 0 ? System.Text.Encoding.ASCII.GetString(text, Math.Clamp(length, 0, 512)) : "unknown error";
        throw new MpiException($"{call} failed with MPI error {code}: {reason} (a rank has probably died or lost its connection)");
    }
}
