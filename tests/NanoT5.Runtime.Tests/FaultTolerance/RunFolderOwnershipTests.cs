// A run folder is the run's and nothing else's, proved with the real CLI as a child process: a folder of someone
// else's files is refused, starting over deletes only what the run wrote, the lock survives the deletion of its
// file, and links planted before or during a run never carry a write outside the folder.
using NanoT5.Config;
using NanoT5.IO;
using NanoT5.Runs;

namespace NanoT5.Tests.FaultTolerance;

[Collection(TorchCollection.Name)]
[Trait("Category", "Slow")]
public sealed class RunFolderOwnershipTests
{
    private static readonly string[] UsersFiles =
        ["model/pytorch_model.bin", "plots/thesis-figure.png", "artifacts/paper.pdf", "checkpoints/old/epoch3.ckpt", "tracking/notes.txt", "params.json", ".draft.tmp"];

    [Fact]
    public void AFolderOfSomeoneElsesFiles_IsRefusedNamingItAndNothingInItChanges()
    {
        using var run = new FaultRun(c => c with { Optim = c.Optim with { TotalSteps = 4 } });
        WriteUsersFiles(run.RunDirectory);

        var (code, output) = RuntimeProcess.Run(run.Pretrain);

        Assert.True(code == ExitCodes.UsageOrInput, output);
        Assert.True(output.Contains($"{run.RunDirectory} is not empty and is not a NanoT5 run folder", StringComparison.Ordinal), output);
        Assert.True(output.Contains("it holds .draft.tmp, artifacts/paper.pdf, checkpoints/old/epoch3.ckpt, model/pytorch_model.bin, params.json and 2 more", StringComparison.Ordinal), output);
        AssertUsersFilesIntact(run.RunDirectory);
        Assert.False(File.Exists(Path.Combine(run.RunDirectory, RunFolderRecord.MarkerFile)));
    }

    [Fact]
    public void StartingOver_DeletesOnlyWhatTheEarlierRunWrote_AndKeepsTheFilesAUserPutBesideIt()
    {
        using var run = new FaultRun(c => c with { Optim = c.Optim with { TotalSteps = 4 } });
        var (firstCode, firstOutput) = RuntimeProcess.Run(run.Pretrain);
        Assert.True(firstCode == ExitCodes.Success, firstOutput);
        File.Delete(Path.Combine(run.RunDirectory, "params.json"));
        WriteUsersFiles(run.RunDirectory);
        string again = Path.Combine(run.Folder, "again.json");
        ExperimentConfigJson.Save(run.Config with { Checkpoint = run.Config.Checkpoint with { Resume = false } }, again);

        var (code, output) = RuntimeProcess.Run(["pretrain", "--config", again]);

        Assert.True(code == ExitCodes.Success, output);
        Assert.Contains($"checkpoint.resume is false: starting {run.RunDirectory} over", output, StringComparison.Ordinal);
        Assert.Contains("from scratch", output, StringComparison.Ordinal);
        // params.json is the run's again (rewritten by this run); every other file of the user's is as it was.
        AssertUsersFilesIntact(run.RunDirectory, except: "params.json");
        Assert.Equal([1L, 2L, 3L, 4L], run.Losses().Keys);
        Assert.Equal([2L, 4L], run.CheckpointSteps());
    }

    [Fact]
    public void DeletingTheLockFileDuringARun_DoesNotLetASecondProcessIn()
    {
        using var run = new FaultRun(c => c with { Optim = c.Optim with { BatchSize = 128, TotalSteps = 60 }, Checkpoint = c.Checkpoint with { EverySteps = 3 } });
        using var first = RuntimeProcess.Start(run.Pretrain);
        first.WaitUntil(() => run.CheckpointSteps().Length > 0, "a first checkpoint");
        File.Delete(Path.Combine(run.RunDirectory, RunFolderLock.FileName));

        var (code, output) = RuntimeProcess.Run(run.Pretrain);

        Assert.True(code == ExitCodes.RunFolderInUse, output);
        Assert.Contains("is in use by another NanoT5 process", output, StringComparison.Ordinal);
        Assert.False(first.HasExited, first.Output);
        first.KillHard();
        first.WaitForExit();
    }

    [Fact]
    public void HardLinksPlantedInARunFolder_NeverChangeTheFilesOutside()
    {
        using var run = new FaultRun(c => c with { Optim = c.Optim with { TotalSteps = 4 } });
        var (firstCode, firstOutput) = RuntimeProcess.Run(run.Pretrain);
        Assert.True(firstCode == ExitCodes.Success, firstOutput);
        // A finished run run again exports its model, plots and lock file again: each is replaced, none written through.
        string[] planted = [RunFolderLock.FileName, "model/tokenizer_config.json", "model/config.json", "plots/train_loss.png", "summary.json"];
        foreach (string file in planted)
        {
            string victim = Path.Combine(run.Folder, "victim-" + Path.GetFileName(file));
            File.WriteAllText(victim, "precious\n");
            File.Delete(Path.Combine(run.RunDirectory, file));
            TestPaths.HardLink(victim, Path.Combine(run.RunDirectory, file));
        }

        var (code, output) = RuntimeProcess.Run(run.Pretrain);

        Assert.True(code == ExitCodes.Success, output);
        Assert.All(planted, file => Assert.Equal("precious\n", File.ReadAllText(Path.Combine(run.Folder, "victim-" + Path.GetFileName(file)))));
        Assert.All(planted, file => Assert.NotEqual("precious\n", File.ReadAllText(Path.Combine(run.RunDirectory, file))));

        // metrics.jsonl is appended in place: a second name is refused before anything is written.
        string journal = Path.Combine(run.Folder, "victim-journal.txt");
        File.WriteAllText(journal, "precious\n");
        File.Delete(Path.Combine(run.RunDirectory, "metrics.jsonl"));
        TestPaths.HardLink(journal, Path.Combine(run.RunDirectory, "metrics.jsonl"));

        (code, output) = RuntimeProcess.Run(run.Pretrain);

        Assert.True(code == ExitCodes.UsageOrInput, output);
        Assert.Contains("metrics.jsonl has 2 names", output, StringComparison.Ordinal);
        Assert.Equal("precious\n", File.ReadAllText(journal));
    }

    [Fact]
    public void FoldersReplacedByLinksDuringARun_StopTheExportAndNothingLandsOutside()
    {
        using var run = new FaultRun(c => c with { Optim = c.Optim with { BatchSize = 64, TotalSteps = 24 }, Checkpoint = c.Checkpoint with { EverySteps = 3 } });
        string outsideModel = Path.Combine(run.Folder, "outside-model");
        string outsidePlots = Path.Combine(run.Folder, "outside-plots");
        Directory.CreateDirectory(outsideModel);
        Directory.CreateDirectory(outsidePlots);
        using var process = RuntimeProcess.Start(run.Pretrain);
        process.WaitUntil(() => run.CheckpointSteps().Length > 0, "a first checkpoint");
        foreach ((string name, string outside) in new[] { ("model", outsideModel), ("plots", outsidePlots) })
        {
            string path = Path.Combine(run.RunDirectory, name);
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }

            File.CreateSymbolicLink(path, outside);
        }

        int code = process.WaitForExit();

        Assert.True(code == ExitCodes.WriteFailed, process.Output);
        Assert.Contains($"{Path.Combine(run.RunDirectory, "model")} is a symbolic link (to {outsideModel}) planted in the run folder after it was claimed", process.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(outsideModel));
        Assert.Empty(Directory.GetFileSystemEntries(outsidePlots));
    }

    private static void WriteUsersFiles(string runDirectory)
    {
        foreach (string file in UsersFiles)
        {
            string path = Path.Combine(runDirectory, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "the user's " + file);
        }
    }

    private static void AssertUsersFilesIntact(string runDirectory, string? except = null) =>
        Assert.All(UsersFiles.Where(f => f != except), file => Assert.Equal("the user's " + file, File.ReadAllText(Path.Combine(runDirectory, file))));
}
