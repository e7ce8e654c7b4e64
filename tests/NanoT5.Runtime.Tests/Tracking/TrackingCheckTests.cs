// Issue 27 item 4: tracking-check pointed at a real experiment's config leaves that run alone.
using NanoT5.Cli;
using NanoT5.Config;
using NanoT5.Runs;
using NanoT5.Tracking;
using NanoT5.Tracking.Local;

namespace NanoT5.Tests.Tracking;

public sealed class TrackingCheckTests
{
    [Fact]
    public async Task The_check_uses_its_own_run_folder_and_tracker_run_never_the_experiments()
    {
        using var temp = TestPaths.NewTempFolder();
        await using var server = await FakeMLflowServer.StartAsync();
        string runDirectory = temp.File("runs/pretrain");
        ExperimentConfig config = TrackingFixtures.VerbConfig(runDirectory, server.Url);
        await using (ExperimentTracker real = ExperimentTracker.Start(config, TrackingFixtures.Options(new StringWriter())))
        {
            TrackingFixtures.LogSteps(real, firstStep: 1, steps: 3);
            await real.EndAsync(RunStatus.Killed);
        }

        Dictionary<string, byte[]> before = Directory.GetFiles(runDirectory, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
        string configFile = temp.File("config.json");
        ExperimentConfigJson.Save(config, configFile);

        int exit = TrackingCheckCommand.Create(null).Parse(["--config", configFile, "--steps", "5", "--interval-ms", "0"]).Invoke();

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(before.Keys.Order(), Directory.GetFiles(runDirectory, "*", SearchOption.AllDirectories).Order());
        Assert.All(before, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key)));

        var check = new RunFolder($"{runDirectory}.tracking-check");
        RunSummary summary = TrackingJson.TryLoad<RunSummary>(check.SummaryFile)!;
        Assert.Equal(21, summary.Points);
        Assert.Equal("tracking-test-tracking-check", summary.Name);
        Assert.Equal(2, server.Runs.Count);
        FakeRun realRun = server.Runs.Values.Single(r => r.Name == "tracking-test");
        FakeRun checkRun = server.Runs.Values.Single(r => r.Name == "tracking-test-tracking-check");
        Assert.Equal(12, realRun.Metrics.Count);
        Assert.Equal("KILLED", realRun.Status);
        Assert.Equal(21, checkRun.Metrics.Count);
        Assert.Equal("synthetic", checkRun.Tags["nanot5.check"]);
        Assert.False(realRun.Tags.ContainsKey("nanot5.check"));
        Assert.Equal(realRun.ExperimentId, checkRun.ExperimentId);
    }
}
