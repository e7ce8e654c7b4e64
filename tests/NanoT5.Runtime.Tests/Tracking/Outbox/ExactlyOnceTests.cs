// Issue 23 against the fake (which copies MLflow 2.10.2's stores): a batch the server already holds, sent again
// after a lost acknowledgement, a NaN among it, the file store; and a point refused for good.
using NanoT5.Tracking;
using NanoT5.Tracking.Local;

namespace NanoT5.Tests.Tracking.Outbox;

public sealed class ExactlyOnceTests
{
    [Theory]
    [InlineData("sql")]
    [InlineData("file")]
    public async Task A_lost_acknowledgement_of_a_whole_run_is_resent_and_every_point_is_stored_once(string store)
    {
        using var temp = TestPaths.NewTempFolder();
        await using var server = await FakeMLflowServer.StartAsync(store: store == "file" ? FakeStore.File : FakeStore.Sql);
        var config = TrackingFixtures.Config(temp.Path, server.Url);
        await TrackingFixtures.RunAsync(config, tracker =>
        {
            TrackingFixtures.LogSteps(tracker, firstStep: 1, steps: 200);
            tracker.LogMetric(MetricNames.EvalLoss, 200, 2.5); // a key outside the first 100 entries of a batch
        });

        TrackingFixtures.ForgetAcknowledgements(temp.Path);
        var log = new StringWriter();
        TrackingReport report = await TrackingFixtures.RunAsync(config, _ => { }, log);

        FakeRun run = server.SingleRun();
        Assert.True(report.PendingPoints == 0, log.ToString());
        Assert.Equal(TrackingFixtures.JournalKeys(temp.Path), [.. run.Metrics.Keys]);
        Assert.True(run.EachMetricOnce, "a resent point was stored twice");
        Assert.Equal("FINISHED", run.Status);
        Assert.DoesNotContain("stopped", log.ToString(), StringComparison.Ordinal);
        Assert.All(server.Requests, r => Assert.InRange(r.Metrics, 0, 100));
    }

    [Fact]
    public async Task A_resent_NaN_counts_as_stored_and_the_run_ends_finished()
    {
        using var temp = TestPaths.NewTempFolder();
        await using var server = await FakeMLflowServer.StartAsync(store: FakeStore.Sql);
        var config = TrackingFixtures.Config(temp.Path, server.Url);
        await TrackingFixtures.RunAsync(config, tracker =>
        {
            TrackingFixtures.LogSteps(tracker, firstStep: 1, steps: 5);
            tracker.LogMetric(MetricNames.TrainLoss, 6, double.NaN);
            tracker.LogMetric(MetricNames.TrainGradL2, 6, double.PositiveInfinity);
        });

        TrackingFixtures.ForgetAcknowledgements(temp.Path);
        var log = new StringWriter();
        TrackingReport report = await TrackingFixtures.RunAsync(config, tracker => TrackingFixtures.LogSteps(tracker, firstStep: 7, steps: 3), log);

        FakeRun run = server.SingleRun();
        Assert.True(report.PendingPoints == 0, log.ToString());
        Assert.Equal(0, report.SetAsidePoints);
        Assert.Equal(34, run.Metrics.Count);
        Assert.True(run.EachMetricOnce);
        Assert.Equal("FINISHED", run.Status);
    }

    [Fact]
    public async Task A_point_the_tracker_refuses_for_good_is_set_aside_and_everything_else_is_delivered()
    {
        using var temp = TestPaths.NewTempFolder();
        await using var server = await FakeMLflowServer.StartAsync();
        server.RefusedMetricNames["train/bad"] = true;
        var log = new StringWriter();

        TrackingReport report = await TrackingFixtures.RunAsync(TrackingFixtures.Config(temp.Path, server.Url), tracker =>
        {
            TrackingFixtures.LogSteps(tracker, firstStep: 1, steps: 60);
            tracker.LogMetric("train/bad", 30, 1.0);
        }, log);

        Assert.True(report.PendingPoints == 0, log.ToString());
        Assert.Equal(1, report.SetAsidePoints);
        Assert.Equal(240, server.SingleRun().Metrics.Count);
        Assert.Equal("FINISHED", server.SingleRun().Status);
        string setAside = File.ReadAllText(new RunFolder(temp.Path).SetAsideFile);
        Assert.Contains("\"name\":\"train/bad\"", setAside, StringComparison.Ordinal);
        Assert.Contains("Got invalid value for metric 'train/bad'", setAside, StringComparison.Ordinal);
        Assert.Single(log.ToString().Split('\n'), l => l.Contains("train/bad at step 30 is refused by the tracker", StringComparison.Ordinal));
        Assert.Equal(1, TrackingJson.TryLoad<RunSummary>(new RunFolder(temp.Path).SummaryFile)!.Remote!.SetAsidePoints);
    }

    [Fact]
    public async Task A_later_start_that_cannot_deliver_still_leaves_the_remote_run_finished()
    {
        using var temp = TestPaths.NewTempFolder();
        await using var server = await FakeMLflowServer.StartAsync();
        var config = TrackingFixtures.Config(temp.Path, server.Url);
        await TrackingFixtures.RunAsync(config, tracker => TrackingFixtures.LogSteps(tracker, firstStep: 1, steps: 5));
        server.Inject("runs/log-batch", [.. Enumerable.Repeat(new Fault(Status: System.Net.HttpStatusCode.Forbidden), 5)]);
        var log = new StringWriter();

        TrackingReport report = await TrackingFixtures.RunAsync(config, tracker => TrackingFixtures.LogSteps(tracker, firstStep: 6, steps: 5), log);

        Assert.Equal(20, report.PendingPoints);
        Assert.Contains("delivery to", log.ToString(), StringComparison.Ordinal);
        Assert.Equal("FINISHED", server.SingleRun().Status);
        Assert.NotNull(server.SingleRun().EndTime);
    }

    [Fact]
    public async Task Every_request_body_is_sent_with_a_content_length()
    {
        using var temp = TestPaths.NewTempFolder();
        await using var server = await FakeMLflowServer.StartAsync();

        await TrackingFixtures.RunAsync(TrackingFixtures.Config(temp.Path, server.Url), tracker => TrackingFixtures.LogSteps(tracker, firstStep: 1, steps: 30));

        var posts = server.Requests.Where(r => r.Endpoint is not ("experiments/get-by-name" or "metrics/get-history")).ToList();
        Assert.NotEmpty(posts);
        Assert.All(posts, r => Assert.True(r.HadContentLength, $"{r.Endpoint} went out without a Content-Length"));
        Assert.Equal(120, server.SingleRun().Metrics.Count);
    }
}
