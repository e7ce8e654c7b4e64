// -p:NanoT5Processes=2: the Pretrain target launches the experiment program under Open MPI's mpirun, two ranks.
using NanoT5.Sdk.Tests.Infrastructure;

namespace NanoT5.Sdk.Tests.Builds;

[Trait("Category", "Slow")]
public sealed class DataParallelBuildTests
{
    [Fact]
    public void Pretrain_with_two_processes_runs_two_ranks_under_mpirun_and_rank_0_writes_the_run_folder()
    {
        using var folder = ExperimentFolder.InRepo(TinyPretraining.Project);

        BuildResult result = Dotnet.Build(folder.ProjectFile, "Pretrain", "-p:NanoT5Processes=2", "-p:NanoT5MpiRunArguments=--oversubscribe").ShouldSucceed();

        string runFolder = Path.Combine(folder.Path, "runs", "exp");
        Assert.Contains("NanoT5: 2 processes: mpirun -np 2 -x TERM=dumb --oversubscribe", result.Output, StringComparison.Ordinal);
        Assert.Contains("[rank 1] pretrain 'exp'", result.Output, StringComparison.Ordinal);
        Assert.Contains("[rank 0] data-parallel: 2 ranks take 2 (rank 0) of each micro-batch's 4 rows", result.Output, StringComparison.Ordinal);
        Assert.Contains($"NanoT5: pretrain exp exited with code 0; run folder: {runFolder}", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[2K", result.Output, StringComparison.Ordinal); // plain lines, though mpirun gives ranks a terminal
        Assert.True(File.Exists(Path.Combine(runFolder, "model", "model.safetensors")), $"no exported model in {runFolder}.\n{result}");
    }
}
