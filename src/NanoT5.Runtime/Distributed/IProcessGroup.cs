// The ranks of one data-parallel job and the collectives the training loop uses. One process alone is a
// group of one whose collectives do nothing, so the loop has a single code path.
namespace NanoT5.Distributed;

/// <summary>The processes of one job.</summary>
public interface IProcessGroup
{
    /// <summary>This process's rank, 0 to <see cref="Size"/> - 1.</summary>
    int Rank { get; }

    /// <summary>Processes in the job.</summary>
    int Size { get; }

    /// <summary>Rank among the processes on this machine (device choice).</summary>
    int LocalRank { get; }

    /// <summary>Rank 0 writes checkpoints, metrics, plots and the export.</summary>
    bool IsRoot => Rank == 0;

    /// <summary>"rank 1 of 2 (mpirun, Open MPI)".</summary>
    string Describe();

    /// <summary>Sums <paramref name="values"/> over all ranks in place; every rank gets the sum.</summary>
    void AllReduceSum(Span<double> values);

    /// <summary>Sums <paramref name="count"/> float32 values at host address <paramref name="buffer"/> over all ranks, in place.</summary>
    void AllReduceSum(nint buffer, long count);

    /// <summary>Replaces <paramref name="bytes"/> on every rank with rank 0's.</summary>
    void BroadcastFromRoot(Span<byte> bytes);
}

/// <summary>A process alone: every collective is the identity.</summary>
public sealed class SingleProcess : IProcessGroup
{
    public static SingleProcess Instance { get; } = new();

    public int Rank => 0;

    public int Size => 1;

    public int LocalRank => 0;

    public string Describe() => "1 process";

    public void AllReduceSum(Span<double> values)
    {
    }

    public void AllReduceSum(nint buffer, long count)
    {
    }

    public void BroadcastFromRoot(Span<byte> bytes)
    {
    }
}
