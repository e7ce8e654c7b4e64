using System.Collections;
using NanoT5.Distributed;

namespace NanoT5.Tests.Distributed;

public sealed class LaunchInfoTests
{
    [Fact]
    public void From_NoLauncherVariables_IsOneProcessAlone()
    {
        Assert.Equal(LaunchInfo.Alone, LaunchInfo.From(new Hashtable { ["PATH"] = "/usr/bin" }));
    }

    [Fact]
    public void From_OpenMpiVariables_GiveRankSizeAndLocalRank()
    {
        var launch = LaunchInfo.From(new Hashtable
        {
            ["OMPI_COMM_WORLD_RANK"] = "5", ["OMPI_COMM_WORLD_SIZE"] = "8", ["OMPI_COMM_WORLD_LOCAL_RANK"] = "1", ["OMPI_COMM_WORLD_LOCAL_SIZE"] = "4",
        });

        Assert.Equal(new LaunchInfo("mpirun", 5, 8, 1, 4), launch);
        Assert.True(launch.IsDistributed);
    }

    [Fact]
    public void From_SlurmVariables_GiveRankSizeLocalRankAndTheFirstNodesTaskCount()
    {
        var launch = LaunchInfo.From(new Hashtable
        {
            ["SLURM_PROCID"] = "9", ["SLURM_NTASKS"] = "16", ["SLURM_LOCALID"] = "1", ["SLURM_TASKS_PER_NODE"] = "8(x2)",
        });

        Assert.Equal(new LaunchInfo("srun", 9, 16, 1, 8), launch);
    }

    [Fact]
    public void From_LocalRankVariable_OverridesTheLaunchersLocalRank()
    {
        var launch = LaunchInfo.From(new Hashtable { ["OMPI_COMM_WORLD_RANK"] = "1", ["OMPI_COMM_WORLD_SIZE"] = "2", ["OMPI_COMM_WORLD_LOCAL_RANK"] = "1", ["LOCAL_RANK"] = "0" });

        Assert.Equal(0, launch.LocalRank);
    }

    [Fact]
    public void From_MalformedRank_NamesTheVariable()
    {
        var e = Assert.Throws<ArgumentException>(() => LaunchInfo.From(new Hashtable { ["OMPI_COMM_WORLD_RANK"] = "one", ["OMPI_COMM_WORLD_SIZE"] = "2" }));

        Assert.Equal("launcher variable OMPI_COMM_WORLD_RANK='one' is not a non-negative integer.", e.Message);
    }

    [Fact]
    public void From_RankNotBelowTheSize_IsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => LaunchInfo.From(new Hashtable { ["PMI_RANK"] = "2", ["PMI_SIZE"] = "2" }));

        Assert.Equal("launcher (hydra) says rank 2 of 2: the rank must be below the world size.", e.Message);
    }
}
