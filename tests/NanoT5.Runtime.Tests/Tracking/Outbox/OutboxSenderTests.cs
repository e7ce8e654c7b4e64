using Microsoft.Extensions.Time.Testing;
using NanoT5.Tracking;
using NanoT5.Tracking.Local;
using NanoT5.Tracking.Outbox;

namespace NanoT5.Tests.Tracking.Outbox;

public sealed class OutboxSenderTests
{
    [Fact]
    public async Task Every_metric_arrives_exactly_once_through_500s_429_timeouts_and_dropped_connections()
    {
        using var temp = TestPaths.NewTempFolder();
        var time = new FakeTimeProvider();
        await using var server = await FakeMLflowServer.StartAsync(time: time);
        server.Inject("runs/log-batch",
            Fault.Error500, Fault.TooMany(retryAfterSeconds: 1), Fault.Slow(TimeSpan.FromSeconds(2)),
            Fault.DroppedConnection, Fault.LostAck, Fault.Error500);
        var log = new StringWriter();

        TrackingReport report;
        await using (ExperimentTracker tracker = ExperimentTracker.Start(TrackingFixtures.Config(temp.Path, server.Url), TrackingFixtures.Options(log, time: time)))
        {
            TrackingFixtures.LogSteps(tracker, firstStep: 1, steps: 700);
            report = await time.AdvanceUntilAsync(tracker.EndAsync(RunStatus.Finished));
        }

        FakeRun run = server.SingleRun();
        Assert.Equal(0, report.PendingPoints);
        Assert.Equal(2800, report.DeliveredPoints);
        Assert.Equal(TrackingFixtures.JournalKeys(temp.Path), [.. run.Metrics.Keys]);
        Assert.True(run.EachMetricOnce);
        Assert.True(server.MetricsReceived >= 2800, "every point reached the server");
        Assert.Contains(server.Requests, r => r.Endpoint == "metrics/get-history"); // after the lost acknowledgement, it checked before resending
        Assert.All(server.Requests, r => Assert.InRange(r.Metrics, 0, 100));
        Assert.Equal("FINISHED", run.Status);
        Assert.NotNull(run.EndTime);
        Assert.Equal("0.02", run.Params["optim.base_lr"]);
        Assert.Equal("test", run.Tags["purpose"]);
        Assert.Equal(report.RemoteRunId, run.Id);

        // The request after the 429 waited for its Retry-After (1 s), on the clock the tracker and the server share.
        (string, DateTimeOffset At, int, bool)[] batches = [.. server.Requests.Where(r => r.Endpoint == "runs/log-batch" && r.Metrics > 0)];
        Assert.True(batches.Length >= 7, $"{batches.Length} metric batches: the six faults and at least one success");
        Assert.True(batches[2].At - batches[1].At >= TimeSpan.FromSeconds(1), $"retried {(batches[2].At - batches[1].At).TotalSeconds:0.00} s after a 429 with Retry-After: 1");
        Assert.Contains("timed out", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_down_for_a_while_gets_everything_once_it_is_back()
    {
        using var temp = TestPaths.NewTempFolder();
        var time = new FakeTimeProvider();
        await using var server = await FakeMLflowServer.StartAsync(time: time);
        var log = new StringWriter();
        await using ExperimentTracker tracker = ExperimentTracker.Start(TrackingFixtures.Config(temp.Path, server.Url), TrackingFixtures.Options(log, time: time));

        TrackingFixtures.LogSteps(tracker, firstStep: 1, steps: 50);
        await time.AdvanceUntilAsync(() => server.Runs.Values.Sum(r => r.Metrics.Count) == 200, "the first 200 points on the server");
        await server.StopAsync();
        TrackingFixtures.LogSteps(tracker, firstStep: 51, steps: 50);
        DateTimeOffset down = time.GetUtcNow();
        await time.AdvanceUntilAsync(() => time.GetUtcNow() - down >= TimeSpan.FromSeconds(1.5), "1.5 s of outage"); // rounds, retries and an open breaker
        await server.RestartAsync();
        TrackingFixtures.LogSteps(tracker, firstStep: 101, steps: 50);
        TrackingReport report = await time.AdvanceUntilAsync(tracker.EndAsync(RunStatus.Finished));

        Assert.Equal(0, report.PendingPoints);
        Assert.Equal(TrackingFixtures.JournalKeys(temp.Path), [.. server.SingleRun().Metrics.Keys]);
        Assert.Equal(600, server.SingleRun().Metrics.Count);
        Assert.Contains("tracker unreachable", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("resumed", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_drain_is_bounded_and_the_next_start_delivers_what_stayed_pending()
    {
        using var temp = TestPaths.NewTempFolder();
        await using var server = await FakeMLflowServer.StartAsync();
        await server.StopAsync();
        var config = TrackingFixtures.Config(temp.Path, server.Url, drainSeconds: 0.5);

        TrackingReport first;
        await using (ExperimentTracker tracker = ExperimentTracker.Start(config, TrackingFixtures.Options(new StringWriter())))
        {
            TrackingFixtures.LogSteps(tracker, firstStep: 1, steps: 25);
            first = await tracker.EndAsync(RunStatus.Failed);
        }

        Assert.Equal(100, first.PendingPoints);
        Assert.Null(first.RemoteRunId);
        Assert.Equal(100, TrackingJson.TryLoad<RunSummary>(new RunFolder(temp.Path).SummaryFile)!.Remote!.PendingPoints);

        await server.RestartAsync();
        TrackingReport second;
        await using (ExperimentTracker resumed = ExperimentTracker.Start(config with { Tracker = config.Tracker with { DrainSeconds = 15 } }, TrackingFixtures.Options(new StringWriter())))
        {
            TrackingFixtures.LogSteps(resumed, firstStep: 20, steps: 11);
            second = await resumed.EndAsync(RunStatus.Finished);
        }

        Assert.Equal(0, second.PendingPoints);
        Assert.Equal(6 * 4, second.ReplayedPointsIgnored);
        Assert.Equal(120, server.SingleRun().Metrics.Count);
        Assert.Equal(TrackingFixtures.JournalKeys(temp.Path), [.. server.SingleRun().Metrics.Keys]);
        Assert.Equal("FINISHED", server.SingleRun().Status);
        Assert.Equal(2, TrackingJson.TryLoad<RunSummary>(new RunFolder(temp.Path).SummaryFile)!.Starts);
    }

    [Fact]
    public async Task A_restarted_run_continues_the_same_remote_run_and_resends_only_the_unacknowledged_tail()
    {
        using var temp = TestPaths.NewTempFolder();
        await using var server = await FakeMLflowServer.StartAsync();
        var config = TrackingFixtures.Config(temp.Path, server.Url);
        var folder = new RunFolder(temp.Path);

        await using (ExperimentTracker tracker = ExperimentTracker.Start(config, TrackingFixtures.Options(new StringWriter())))
        {
            TrackingFixtures.LogSteps(tracker, firstStep: 1, steps: 10);
            await tracker.EndAsync(RunStatus.Killed);
        }

        // As if the process had died after the tracker stored the last batch but before the ack was saved.
        OutboxState saved = TrackingJson.TryLoad<OutboxState>(folder.OutboxStateFile)!;
        using (MetricsJournal journal = MetricsJournal.Open(folder.MetricsFile))
        {
            (saved with { AcknowledgedOffset = journal.Read(0, 20).EndOffset, AcknowledgedPoints = 20 }).Save(folder.OutboxStateFile);
        }

        int receivedBefore = server.MetricsReceived;

        await using (ExperimentTracker resumed = ExperimentTracker.Start(config, TrackingFixtures.Options(new StringWriter())))
        {
            TrackingFixtures.LogSteps(resumed, firstStep: 11, steps: 5);
            TrackingReport report = await resumed.EndAsync(RunStatus.Finished);
            Assert.Equal(saved.RunId, report.RemoteRunId);
        }

        Assert.Equal(20, server.MetricsReceived - receivedBefore); // it read what the server held and sent only the 20 new points
        Assert.Equal(60, server.SingleRun().Metrics.Count);
        Assert.Equal("FINISHED", server.SingleRun().Status);
    }

    [Fact]
    public async Task Opening_the_run_is_idempotent_when_the_create_response_is_lost()
    {
        using var temp = TestPaths.NewTempFolder();
        await using var server = await FakeMLflowServer.StartAsync();
        server.Inject("runs/create", Fault.LostAck);
        var log = new StringWriter();

        await using ExperimentTracker tracker = ExperimentTracker.Start(TrackingFixtures.Config(temp.Path, server.Url), TrackingFixtures.Options(log));
        tracker.LogMetric(MetricNames.TrainLoss, 1, 9.5);
        TrackingReport report = await tracker.EndAsync(RunStatus.Finished);

        FakeRun run = server.SingleRun();
        Assert.True(run.Id == report.RemoteRunId, log.ToString());
        Assert.Equal(tracker.RunUid, run.Tags["nanot5.run_uid"]);
        Assert.Single(run.Metrics);
    }

    [Fact]
    public async Task Logging_returns_at_once_while_the_tracker_hangs()
    {
        using var temp = TestPaths.NewTempFolder();
        await using var server = await FakeMLflowServer.StartAsync();
        server.Inject("experiments/get-by-name", [.. Enumerable.Repeat(Fault.Slow(TimeSpan.FromSeconds(20)), 20)]);
        await using ExperimentTracker tracker = ExperimentTracker.Start(TrackingFixtures.Config(temp.Path, server.Url, drainSeconds: 0.2), TrackingFixtures.Options(new StringWriter()));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        TrackingFixtures.LogSteps(tracker, firstStep: 1, steps: 250);
        TimeSpan logging = clock.Elapsed;
        TrackingReport report = await tracker.EndAsync(RunStatus.Finished);

        Assert.True(logging < TimeSpan.FromSeconds(1), $"logging 1000 points took {logging.TotalMilliseconds:0} ms with the tracker hanging");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"the end took {clock.Elapsed.TotalSeconds:0.0} s with a 0.2 s drain budget");
        Assert.Equal(1000, report.PendingPoints);
    }
}
