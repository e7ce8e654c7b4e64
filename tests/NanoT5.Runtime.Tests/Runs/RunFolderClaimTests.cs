using NanoT5.IO;
using NanoT5.Runs;

namespace NanoT5.Tests.Runs;

public sealed class RunFolderClaimTests
{
    [Theory]
    [InlineData("metrics.jsonl", false)]
    [InlineData("summary.json", false)]
    [InlineData("model", true)]
    [InlineData("plots", true)]
    [InlineData("checkpoints", true)]
    [InlineData(".nanot5.lock", false)]
    public void Claim_ARunFolderWhoseManagedEntryIsALink_IsRefusedNamingIt(string entry, bool folder)
    {
        using var temp = TestPaths.NewTempFolder();
        string run = temp.File("run");
        Directory.CreateDirectory(run);
        string outside = temp.File("outside");
        if (folder)
        {
            Directory.CreateDirectory(outside);
        }
        else
        {
            File.WriteAllText(outside, "not the run's\n");
        }

        File.CreateSymbolicLink(Path.Combine(run, entry), outside);

        var error = Assert.Throws<InvalidDataException>(() => RunFolderClaim.Claim(run, TextWriter.Null));

        Assert.Contains($"{Path.Combine(run, entry)} is a symbolic link (to {outside})", error.Message, StringComparison.Ordinal);
        if (!folder)
        {
            Assert.Equal("not the run's\n", File.ReadAllText(outside));
        }
    }

    [Fact]
    public void Claim_ALinkInsideAManagedFolder_IsRefusedNamingIt()
    {
        using var temp = TestPaths.NewTempFolder();
        string plots = Path.Combine(temp.File("run"), "plots");
        Directory.CreateDirectory(plots);
        File.WriteAllText(temp.File("victim.png"), "precious");
        File.CreateSymbolicLink(Path.Combine(plots, "train_loss.png"), temp.File("victim.png"));

        var error = Assert.Throws<InvalidDataException>(() => RunFolderClaim.Claim(temp.File("run"), TextWriter.Null));

        Assert.Contains("train_loss.png is a symbolic link", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Claim_RemovesTemporaryFilesAndPartialDownloadsAnInterruptedRunLeft()
    {
        using var temp = TestPaths.NewTempFolder();
        string run = temp.File("run");
        string model = Path.Combine(run, RunFolderLayout.ModelDirectory);
        string downloads = Path.Combine(run, RunFolderLayout.DownloadsDirectory);
        Directory.CreateDirectory(model);
        Directory.CreateDirectory(downloads);
        RunFolderRecord.Mark(run, "interrupted");
        File.WriteAllText(Path.Combine(model, "config.json"), "{}");
        File.WriteAllText(Path.Combine(model, ".config.json.4242.0123456789abcdef0123456789abcdef.tmp"), "{\"half");
        File.WriteAllText(Path.Combine(run, ".summary.json.4242.0123456789abcdef0123456789abcdef.tmp"), "{");
        File.WriteAllBytes(Path.Combine(downloads, "nanot5-4242-0123.parquet"), new byte[4096]);
        Directory.CreateDirectory(Path.Combine(run, "checkpoints"));
        File.WriteAllText(Path.Combine(run, "checkpoints", ".latest.4242.0123456789abcdef0123456789abcdef.tmp"), "step-");
        var log = new StringWriter();

        using (RunFolderClaim.Claim(run, log))
        {
        }

        Assert.Equal(["config.json"], Directory.GetFiles(model).Select(Path.GetFileName));
        Assert.False(File.Exists(Path.Combine(run, ".summary.json.4242.0123456789abcdef0123456789abcdef.tmp")));
        Assert.False(Directory.Exists(downloads));
        Assert.Empty(Directory.GetFiles(Path.Combine(run, "checkpoints")));
        Assert.Contains("removed 4 temporary file(s)", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Claim_AFolderWithFilesAndNoRunMarker_IsRefusedNamingTheFolderAndAFewOfItsFiles()
    {
        using var temp = TestPaths.NewTempFolder();
        string run = temp.File("thesis");
        Directory.CreateDirectory(Path.Combine(run, "plots"));
        File.WriteAllText(Path.Combine(run, "params.json"), "{\"mine\": true}\n");
        File.WriteAllText(Path.Combine(run, "plots", "thesis-figure.png"), "figure");

        var error = Assert.Throws<InvalidDataException>(() => RunFolderClaim.Claim(run, TextWriter.Null));

        Assert.StartsWith($"{run} is not empty and is not a NanoT5 run folder (no {RunFolderRecord.MarkerFile}): it holds params.json, plots/thesis-figure.png.", error.Message, StringComparison.Ordinal);
        Assert.Equal("{\"mine\": true}\n", File.ReadAllText(Path.Combine(run, "params.json")));
        Assert.False(File.Exists(Path.Combine(run, RunFolderRecord.MarkerFile)));
    }

    [Fact]
    public void Claim_ARunFolderOfAnEarlierNanoT5WithoutAMarker_IsAdoptedAndSaysStartingOverKeepsItsOldFiles()
    {
        using var temp = TestPaths.NewTempFolder();
        string run = temp.File("run");
        Directory.CreateDirectory(Path.Combine(run, "checkpoints"));
        NanoT5.Config.ExperimentConfigJson.Save(new NanoT5.Config.ExperimentConfig { Name = "old", RunDirectory = run }, Path.Combine(run, "config.resolved.json"));
        File.WriteAllText(Path.Combine(run, "checkpoints", "latest"), "step-00000004\n");
        File.WriteAllText(Path.Combine(run, "metrics.jsonl"), string.Empty);
        var log = new StringWriter();

        using (RunFolderClaim.Claim(run, "old", startOver: true, log))
        {
        }

        Assert.Contains($"note: {Path.GetFullPath(run)} is a run folder of an earlier NanoT5", log.ToString(), StringComparison.Ordinal);
        Assert.True(RunFolderRecord.IsMarked(run));
        Assert.True(File.Exists(Path.Combine(run, "config.resolved.json")));
    }

    [Fact]
    public void Claim_AnEmptyFolder_MarksItAsTheRunsAndAClaimAgainAcceptsIt()
    {
        using var temp = TestPaths.NewTempFolder();
        string run = temp.File("run");

        using (RunFolderClaim.Claim(run, "my-run", startOver: false, TextWriter.Null))
        {
            AtomicFile.WriteAllText(Path.Combine(run, "summary.json"), "{}");
        }

        Assert.Contains("\"run\": \"my-run\"", File.ReadAllText(Path.Combine(run, RunFolderRecord.MarkerFile)), StringComparison.Ordinal);
        using (RunFolderClaim.Claim(run, "my-run", startOver: false, TextWriter.Null))
        {
        }
    }

    [Fact]
    public void StartingOver_DeletesOnlyTheFilesTheRunRecorded_AndKeepsWhatAUserAddedBesideThem()
    {
        using var temp = TestPaths.NewTempFolder();
        string run = temp.File("run");
        using (RunFolderClaim.Claim(run, "run", startOver: false, TextWriter.Null))
        {
            AtomicFile.WriteAllText(Path.Combine(run, "summary.json"), "{}");
            AtomicFile.WriteAllText(Path.Combine(run, "model", "config.json"), "{}");
            AtomicFile.WriteAllText(Path.Combine(run, "plots", "train_loss.png"), "png");
        }

        string[] users = ["model/pytorch_model.bin", "plots/thesis-figure.png", "artifacts/paper.pdf", "checkpoints/old/epoch3.ckpt", "tracking/notes.txt"];
        foreach (string file in users)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(run, file))!);
            File.WriteAllText(Path.Combine(run, file), file);
        }

        var log = new StringWriter();
        using (RunFolderClaim.Claim(run, "run", startOver: true, log))
        {
        }

        Assert.All(users, file => Assert.Equal(file, File.ReadAllText(Path.Combine(run, file))));
        Assert.False(File.Exists(Path.Combine(run, "summary.json")));
        Assert.False(File.Exists(Path.Combine(run, "model", "config.json")));
        Assert.False(File.Exists(Path.Combine(run, "plots", "train_loss.png")));
        Assert.Contains($"starting {run} over; deleted the 3 file(s) the earlier run wrote, in summary.json, model, plots", log.ToString(), StringComparison.Ordinal);
        Assert.Empty(RunFolderRecord.Recorded(run));
    }

    [Fact]
    public void StartingOver_WithARecordThatNamesFilesOutsideTheFolder_DeletesNothingOutside()
    {
        using var temp = TestPaths.NewTempFolder();
        string run = temp.File("run");
        using (RunFolderClaim.Claim(run, TextWriter.Null))
        {
        }

        File.WriteAllText(temp.File("victim.txt"), "precious");
        Directory.CreateDirectory(temp.File("outside"));
        File.WriteAllText(temp.File("outside/victim.txt"), "precious");
        File.CreateSymbolicLink(Path.Combine(run, "notes"), temp.File("outside"));
        File.WriteAllText(Path.Combine(run, RunFolderRecord.RecordFile), $"../victim.txt\n{temp.File("victim.txt")}\nnotes/victim.txt\n");

        using (RunFolderClaim.Claim(run, "run", startOver: true, TextWriter.Null))
        {
        }

        Assert.Equal("precious", File.ReadAllText(temp.File("victim.txt")));
        Assert.Equal("precious", File.ReadAllText(temp.File("outside/victim.txt")));
    }

    [Fact]
    public void AWriteThroughAFolderReplacedByALinkAfterTheClaim_IsRefusedAndNothingLandsOutside()
    {
        using var temp = TestPaths.NewTempFolder();
        string run = temp.File("run");
        string outside = temp.File("outside");
        Directory.CreateDirectory(outside);
        using RunFolderClaim claim = RunFolderClaim.Claim(run, TextWriter.Null);
        File.CreateSymbolicLink(Path.Combine(run, "plots"), outside);

        var error = Assert.Throws<RunFolderEscapeException>(() => AtomicFile.WriteAllText(Path.Combine(run, "plots", "train_loss.png"), "png"));

        Assert.Contains($"{Path.Combine(run, "plots")} is a symbolic link (to {outside}) planted in the run folder after it was claimed", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(outside));
    }

    [Fact]
    public void AFileReplacedAtomically_LeavesAHardLinkedFileOutsideAsItWas()
    {
        using var temp = TestPaths.NewTempFolder();
        string run = temp.File("run");
        File.WriteAllText(temp.File("victim.json"), "precious");
        using RunFolderClaim claim = RunFolderClaim.Claim(run, TextWriter.Null);
        Directory.CreateDirectory(Path.Combine(run, "model"));
        TestPaths.HardLink(temp.File("victim.json"), Path.Combine(run, "model", "tokenizer_config.json"));

        AtomicFile.WriteAllText(Path.Combine(run, "model", "tokenizer_config.json"), "{}");

        Assert.Equal("precious", File.ReadAllText(temp.File("victim.json")));
        Assert.Equal("{}", File.ReadAllText(Path.Combine(run, "model", "tokenizer_config.json")));
    }

    [Fact]
    public void Claim_AMetricsFileWithASecondName_IsRefusedNamingIt()
    {
        using var temp = TestPaths.NewTempFolder();
        string run = temp.File("run");
        using (RunFolderClaim.Claim(run, TextWriter.Null))
        {
        }

        File.WriteAllText(temp.File("journal.txt"), "precious\n");
        TestPaths.HardLink(temp.File("journal.txt"), Path.Combine(run, "metrics.jsonl"));

        var error = Assert.Throws<InvalidDataException>(() => RunFolderClaim.Claim(run, TextWriter.Null));

        Assert.Contains($"{Path.Combine(run, "metrics.jsonl")} has 2 names (a hard link to it exists elsewhere)", error.Message, StringComparison.Ordinal);
        Assert.Equal("precious\n", File.ReadAllText(temp.File("journal.txt")));
    }

    [Fact]
    public void MetricsJournal_OnAFileWithASecondName_IsRefusedBeforeAnythingIsWritten()
    {
        using var temp = TestPaths.NewTempFolder();
        string run = temp.File("run");
        using RunFolderClaim claim = RunFolderClaim.Claim(run, TextWriter.Null);
        File.WriteAllText(temp.File("journal.txt"), "precious\n");
        TestPaths.HardLink(temp.File("journal.txt"), Path.Combine(run, "metrics.jsonl"));

        var error = Assert.Throws<RunFolderEscapeException>(() => NanoT5.Tracking.Local.MetricsJournal.Open(Path.Combine(run, "metrics.jsonl")));

        Assert.Contains("has 2 names", error.Message, StringComparison.Ordinal);
        Assert.Equal("precious\n", File.ReadAllText(temp.File("journal.txt")));
    }

    [Fact]
    public void TheLock_HoldsAfterItsFileIsDeleted()
    {
        using var temp = TestPaths.NewTempFolder();
        string run = temp.File("run");
        using RunFolderLock held = RunFolderLock.Acquire(run);
        File.Delete(Path.Combine(run, RunFolderLock.FileName));

        // flock is per open file description: a second open of the folder in this process contends like another process.
        Assert.Throws<RunFolderInUseException>(() => RunFolderLock.Acquire(run));
    }
}
