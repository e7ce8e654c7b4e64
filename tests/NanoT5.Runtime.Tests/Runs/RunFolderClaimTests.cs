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
        File.WriteAllText(Path.Combine(model, "config.json"), "{}");
        File.WriteAllText(Path.Combine(model, ".config.json.4242.0123456789abcdef.tmp"), "{\"half");
        File.WriteAllText(Path.Combine(run, ".summary.json.4242.0123456789abcdef.tmp"), "{");
        File.WriteAllBytes(Path.Combine(downloads, "nanot5-4242-0123.parquet"), new byte[4096]);
        Directory.CreateDirectory(Path.Combine(run, "checkpoints"));
        File.WriteAllText(Path.Combine(run, "checkpoints", ".latest.4242.0123456789abcdef.tmp"), "step-");
        var log = new StringWriter();

        using (RunFolderClaim.Claim(run, log))
        {
        }

        Assert.Equal(["config.json"], Directory.GetFiles(model).Select(Path.GetFileName));
        Assert.False(File.Exists(Path.Combine(run, ".summary.json.4242.0123456789abcdef.tmp")));
        Assert.False(Directory.Exists(downloads));
        Assert.Empty(Directory.GetFiles(Path.Combine(run, "checkpoints")));
        Assert.Contains("removed 4 temporary file(s)", log.ToString(), StringComparison.Ordinal);
    }
}
