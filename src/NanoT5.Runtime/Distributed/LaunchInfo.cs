// Who started this process and as which rank: Open MPI's mpirun (OMPI_COMM_WORLD_*), Slurm's srun
// (SLURM_PROCID/SLURM_NTASKS/SLURM_LOCALID), MPICH/Hydra (PMI_RANK/PMI_SIZE), or torchrun-style
// variables (RANK/WORLD_SIZE/LOCAL_RANK). The launcher's numbers are checked against MPI's own later:
// srun without PMI support starts N processes that each believe they are rank 0 of 1.
using System.Collections;
using System.Globalization;

namespace NanoT5.Distributed;

/// <summary>The rank, world size and node-local rank a launcher gave this process.</summary>
/// <param name="Launcher">"mpirun", "srun", "hydra", "env" or "none".</param>
public sealed record LaunchInfo(string Launcher, int Rank, int Size, int LocalRank, int LocalSize)
{
    /// <summary>A process nobody launched as part of a group.</summary>
    public static LaunchInfo Alone { get; } = new("none", 0, 1, 0, 1);

    /// <summary>True when the launcher started more than one process.</summary>
    public bool IsDistributed => Size > 1;

    /// <summary>Reads the launcher variables of this process.</summary>
    public static LaunchInfo FromEnvironment() => From(Environment.GetEnvironmentVariables());

    /// <summary>Reads launcher variables from <paramref name="variables"/>; throws <see cref="ArgumentException"/> on malformed values.</summary>
    public static LaunchInfo From(IDictionary variables)
    {
        string? Get(string name) => variables.Contains(name) ? variables[name] as string : null;
        int? Number(string name)
        {
            string? text = Get(name);
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
                ? value
                : throw new ArgumentException($"launcher variable {name}='{text}' is not a non-negative integer.");
        }

        // LOCAL_RANK, when set, wins for device choice (a wrapper script may set it per process).
        int? localRankOverride = Number("LOCAL_RANK");
        LaunchInfo? found =
            Number("OMPI_COMM_WORLD_SIZE") is int ompiSize
                ? new LaunchInfo("mpirun", Number("OMPI_COMM_WORLD_RANK") ?? 0, ompiSize, Number("OMPI_COMM_WORLD_LOCAL_RANK") ?? 0, Number("OMPI_COMM_WORLD_LOCAL_SIZE") ?? 1)
            : Number("SLURM_NTASKS") is int slurmSize && Get("SLURM_PROCID") is not null
                ? new LaunchInfo("srun", Number("SLURM_PROCID") ?? 0, slurmSize, Number("SLURM_LOCALID") ?? 0, SlurmLocalSize(Get("SLURM_TASKS_PER_NODE")))
            : Number("PMI_SIZE") is int pmiSize
                ? new LaunchInfo("hydra", Number("PMI_RANK") ?? 0, pmiSize, Number("MPI_LOCALRANKID") ?? 0, Number("MPI_LOCALNRANKS") ?? 1)
            : Number("WORLD_SIZE") is int envSize
                ? new LaunchInfo("env", Number("RANK") ?? 0, envSize, 0, Number("LOCAL_WORLD_SIZE") ?? 1)
            : null;
        if (found is null)
        {
            return Alone;
        }

        found = localRankOverride is int local ? found with { LocalRank = local } : found;
        if (found.Size < 1 || found.Rank >= found.Size)
        {
            throw new ArgumentException($"launcher ({found.Launcher}) says rank {found.Rank} of {found.Size}: the rank must be below the world size.");
        }

        return found with { LocalSize = Math.Max(1, found.LocalSize) };
    }

    /// <summary>"2(x3),1": the first node's task count (the local size where tasks are spread evenly).</summary>
    private static int SlurmLocalSize(string? tasksPerNode)
    {
        if (string.IsNullOrWhiteSpace(tasksPerNode))
        {
            return 1;
        }

        string first = tasksPerNode.Split(',')[0];
        int paren = first.IndexOf('(', StringComparison.Ordinal);
        return int.TryParse(paren < 0 ? first : first[..paren], NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 1;
    }
}
