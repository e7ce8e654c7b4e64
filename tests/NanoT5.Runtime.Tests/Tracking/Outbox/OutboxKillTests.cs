// A real crash: the runtime's tracking-check verb runs in a child process logging to the loopback server,
// is killed with SIGKILL mid-run, and a second process on the same run folder completes delivery.
using System.Diagnostics;
using System.Text;
using NanoT5.Config;
using NanoT5.Tracking.Local;

namespace NanoT5.Tests.Tracking.Outbox;

[Trait("Category", "Slow")]
public sealed class OutboxKillTests
{
    private const int Steps = 300;
    private const int PointsPerStep = 4;

    [Fact]
    public async Task A_killed_process_restarted_on_its_run_folder_delivers_every_point_exactly_once()
    {
        using var temp = TestPaths.NewTempFolder();
        await using var server = await FakeMLflowServer.StartAsync();
        string runDirectory = temp.File("run");
        ExperimentConfig config = TrackingFixtures.VerbConfig(runDirectory, server.Url);
        config = config with { Tracker = config.Tracker with { RequestTimeoutSeconds = 2 } };
        string configFile = temp.File("config.json");
        ExperimentConfigJson.Save(config, configFile);

        var output = new StringBuilder();
        using (Process first = StartRuntime(configFile, temp.Path, output))
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (server.Runs.Values.Sum(r => r.Metrics.Count) < 200 && !first.HasExited)
            {
                await Task.Delay(10, deadline.Token);
            }

            Assert.False(first.HasExited, $"the first process ended before it could be killed:\n{output}");
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync(deadline.Token);
        }

        var folder = new RunFolder($"{runDirectory}.tracking-check"); // the check's own folder beside the experiment's
        int loggedBeforeKill = MetricsJournal.ReadAll(folder.MetricsFile).Count;
        Assert.InRange(loggedBeforeKill, 200, (Steps * PointsPerStep) - 1);
        Assert.Equal(NanoT5.Tracking.RunStatus.Running, TrackingJson.TryLoad<RunSummary>(folder.SummaryFile)!.Status);

        using (Process second = StartRuntime(configFile, temp.Path, output))
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await second.WaitForExitAsync(deadline.Token);
            Assert.True(second.ExitCode == 0, $"exit code {second.ExitCode}:\n{output}");
        }

        IReadOnlyList<NanoT5.Tracking.MetricPoint> journal = MetricsJournal.ReadAll(folder.MetricsFile);
        int expected = (Steps * PointsPerStep) + 1;
        Assert.Equal(expected, journal.Count);
        Assert.Equal(expected, journal.Select(p => (p.Name, p.Step)).Distinct().Count());
        FakeRun run = server.SingleRun();
        Assert.Equal(TrackingFixtures.JournalKeys(folder.Root), [.. run.Metrics.Keys]);
        Assert.True(run.EachMetricOnce);
        Assert.False(Directory.Exists(runDirectory), "tracking-check wrote into the experiment's run folder");
        Assert.Equal("FINISHED", run.Status);
        Assert.Equal(2, TrackingJson.TryLoad<RunSummary>(folder.SummaryFile)!.Starts);
    }

    private static Process StartRuntime(string configFile, string workingDirectory, StringBuilder output) =>
        TrackingFixtures.StartTrackingCheck(configFile, workingDirectory, Steps, intervalMs: 5, output);
}
