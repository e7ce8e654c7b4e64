// A tiny -t:Pretrain, end to end: the experiment program's `pretrain` verb trains a few steps and leaves its run
// folder. (Needs the runtime's pretrain verb; until it exists the runtime rejects the verb and this fails.)
using NanoT5.Sdk.Tests.Infrastructure;

namespace NanoT5.Sdk.Tests.Builds;

[Trait("Category", "Slow")]
public sealed class PretrainEndToEndTests
{
    [Fact]
    public void A_tiny_pretraining_runs_end_to_end_and_reports_its_run_folder()
    {
        using var folder = ExperimentFolder.InRepo(TinyPretraining.Project);

        BuildResult result = Dotnet.Build(folder.ProjectFile, "Pretrain").ShouldSucceed();

        string runFolder = Path.Combine(folder.Path, "runs", "exp");
        Assert.Contains($"NanoT5: pretrain exp exited with code 0; run folder: {runFolder}", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(runFolder, "config.resolved.json")), $"no config.resolved.json in {runFolder}.\n{result}");
    }
}
