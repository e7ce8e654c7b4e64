// Issue 23 against the real MLflow server (../shared/mlflow-server): normal delivery, an outage with a server
// restart, the lost-acknowledgement resend of a 200-step tracking-check on the SQL and the file store, a NaN
// resend, and non-ASCII keys. The fake server copies each of these behaviours; these tests keep it honest.
using System.Diagnostics;
using System.Text;
using NanoT5.Config;
using NanoT5.Tracking;
using NanoT5.Tracking.Local;
using NanoT5.Tracking.Outbox;

namespace NanoT5.Tests.Tracking.RealServer;

[Trait("Category", "Slow")]
public sealed class MLflowRealServerTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("file")]
    public async Task A_200_step_tracking_check_resent_after_a_lost_acknowledgement_stores_every_point_once_and_ends_finished(string store)
    {
        using var temp = TestPaths.NewTempFolder();
        await using RealMLflowServer server = await RealMLflowServer.StartAsync(temp.File("store"), store);
        string runDirectory = temp.File("runs/pretrain");
        ExperimentConfig config = TrackingFixtures.VerbConfig(runDirectory, server.Url);
        string configFile = temp.File("config.json");
        ExperimentConfigJson.Save(config, configFile);
        var check = new RunFolder($"{runDirectory}.tracking-check");

        (int first, string firstOutput) = await RunCheckAsync(configFile, temp.Path);
        Assert.True(first == 0, firstOutput);
        TrackingFixtures.ForgetAcknowledgements(check.Root); // a crash between the server's commit and outbox.json's save
        (int second, string secondOutput) = await RunCheckAsync(configFile, temp.Path);

        Assert.True(second == 0, secondOutput);
        string runId = TrackingJson.TryLoad<OutboxState>(check.OutboxStateFile)!.RunId!;
        await AssertStoredOnceAsync(server, runId, check.Root, expectedPoints: (200 * 4) + 1);
        Assert.Equal("FINISHED", await server.StatusAsync(runId));
    }

    [Fact]
    public async Task A_resent_NaN_and_non_ASCII_keys_are_stored_once_as_written()
    {
        using var temp = TestPaths.NewTempFolder();
        await using RealMLflowServer server = await RealMLflowServer.StartAsync(temp.File("store"), "sqlite");
        ExperimentConfig config = TrackingFixtures.Config(temp.File("run"), server.Url);
        var log = new StringWriter();
        Action<ExperimentTracker> logPoints = tracker =>
        {
            tracker.LogParams(new Dictionary<string, string> { ["data.sprache_ä"] = "de", ["data.sprache_ö"] = "at" });
            TrackingFixtures.LogSteps(tracker, firstStep: 1, steps: 30);
            tracker.LogMetric(MetricNames.TrainLoss, 31, double.NaN);
            tracker.LogMetric("eval/rougeL/Übersetzung", 31, 40.5);
            tracker.LogMetric("eval/rougeL/a,b", 31, 30.0);
        };
        Assert.Equal(0, (await TrackingFixtures.RunAsync(config, logPoints, log)).PendingPoints);

        TrackingFixtures.ForgetAcknowledgements(config.RunDirectory);
        TrackingReport report = await TrackingFixtures.RunAsync(config, tracker => TrackingFixtures.LogSteps(tracker, firstStep: 32, steps: 2), log);

        Assert.True(report.PendingPoints == 0, log.ToString());
        Assert.Equal(0, report.SetAsidePoints);
        string runId = report.RemoteRunId!;
        await AssertStoredOnceAsync(server, runId, config.RunDirectory, expectedPoints: (30 * 4) + 3 + (2 * 4));
        Assert.Single(await server.HistoryAsync(runId, "eval/rougeL/Übersetzung"));
        Assert.Contains(await server.HistoryAsync(runId, MetricNames.TrainLoss), p => double.IsNaN(p.Value));
        IReadOnlyDictionary<string, string> parameters = await server.ParamsAsync(runId);
        Assert.Equal("de", parameters["data.sprache_ä"]);
        Assert.Equal("at", parameters["data.sprache_ö"]);
        Assert.Equal("FINISHED", await server.StatusAsync(runId));
        Assert.DoesNotContain("stopped", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_started_in_a_git_checkout_carries_its_commit_in_MLflow_s_source_tag()
    {
        const string Commit = "0123456789abcdef0123456789abcdef01234567";
        using var temp = TestPaths.NewTempFolder();
        Directory.CreateDirectory(temp.File(".git"));
        File.WriteAllText(temp.File(".git/HEAD"), Commit + "\n");
        await using RealMLflowServer server = await RealMLflowServer.StartAsync(temp.File("store"), "sqlite");
        var log = new StringWriter();
        TrackingReport report;
        await using (ExperimentTracker tracker = ExperimentTracker.Start(
            TrackingFixtures.Config(temp.File("run"), server.Url), TrackingFixtures.Options(log) with { SourceDirectory = temp.Path }))
        {
            TrackingFixtures.LogSteps(tracker, firstStep: 1, steps: 2);
            report = await tracker.EndAsync(RunStatus.Finished);
        }

        Assert.True(report.PendingPoints == 0, log.ToString());
        Assert.Equal(Commit, (await server.TagsAsync(report.RemoteRunId!))["mlflow.source.git.commit"]);
    }

    [Fact]
    public async Task Points_logged_while_the_server_is_down_and_restarted_are_all_stored_once()
    {
        using var temp = TestPaths.NewTempFolder();
        await using RealMLflowServer server = await RealMLflowServer.StartAsync(temp.File("store"), "sqlite");
        ExperimentConfig config = TrackingFixtures.Config(temp.File("run"), server.Url, drainSeconds: 60);
        var log = new StringWriter();
        var folder = new RunFolder(config.RunDirectory);

        TrackingReport report;
        await using (ExperimentTracker tracker = ExperimentTracker.Start(config, TrackingFixtures.Options(log)))
        {
            TrackingFixtures.LogSteps(tracker, firstStep: 1, steps: 50);
            await WaitAsync(() => TrackingJson.TryLoad<OutboxState>(folder.OutboxStateFile)?.AcknowledgedPoints == 200, "the first 200 points acknowledged");
            await server.StopAsync();
            TrackingFixtures.LogSteps(tracker, firstStep: 51, steps: 50);
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            await server.RestartAsync();
            TrackingFixtures.LogSteps(tracker, firstStep: 101, steps: 50);
            report = await tracker.EndAsync(RunStatus.Finished);
        }

        Assert.True(report.PendingPoints == 0, log.ToString());
        Assert.Contains("tracker unreachable", log.ToString(), StringComparison.Ordinal);
        await AssertStoredOnceAsync(server, report.RemoteRunId!, config.RunDirectory, expectedPoints: 600);
        Assert.Equal("FINISHED", await server.StatusAsync(report.RemoteRunId!));
    }

    private static async Task AssertStoredOnceAsync(RealMLflowServer server, string runId, string runDirectory, int expectedPoints)
    {
        IReadOnlyList<MetricPoint> journal = MetricsJournal.ReadAll(new RunFolder(runDirectory).MetricsFile);
        Assert.Equal(expectedPoints, journal.Count);
        foreach (IGrouping<string, MetricPoint> series in journal.GroupBy(p => p.Name).Where(s => s.Key != "eval/rougeL/a,b"))
        {
            IReadOnlyList<(long Step, long Timestamp, double Value)> stored = await server.HistoryAsync(runId, series.Key);
            Assert.True(stored.Count == series.Count(), $"{series.Key}: {stored.Count} points stored, {series.Count()} logged");
            Assert.Equal(series.Select(p => (p.Step, p.TimestampMs)).Order(), stored.Select(p => (p.Step, p.Timestamp)).Order());
        }
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"waited 60 s for {what}");
            await Task.Delay(50);
        }
    }

    private static async Task<(int Exit, string Output)> RunCheckAsync(string configFile, string workingDirectory)
    {
        var output = new StringBuilder();
        using Process process = TrackingFixtures.StartTrackingCheck(configFile, workingDirectory, steps: 200, intervalMs: 0, output);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(deadline.Token);
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }
}
