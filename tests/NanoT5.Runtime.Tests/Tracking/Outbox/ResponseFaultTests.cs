using NanoT5.Tracking;

namespace NanoT5.Tests.Tracking.Outbox;

public sealed class ResponseFaultTests
{
    [Fact]
    public async Task Replies_cut_mid_body_truncated_json_and_a_garbage_200_are_retried_until_everything_is_delivered()
    {
        using var temp = TestPaths.NewTempFolder();
        await using var server = await FakeMLflowServer.StartAsync();
        server.Inject("runs/search", Fault.ClosedMidResponse, Fault.ClosedMidResponse, Fault.ClosedMidResponse, Fault.Garbage200, Fault.TruncatedJson, Fault.ClosedMidResponse);
        var log = new StringWriter();

        TrackingReport report;
        await using (ExperimentTracker tracker = ExperimentTracker.Start(TrackingFixtures.Config(temp.Path, server.Url), TrackingFixtures.Options(log)))
        {
            TrackingFixtures.LogSteps(tracker, firstStep: 1, steps: 18);
            report = await tracker.EndAsync(RunStatus.Finished);
        }

        string text = log.ToString();
        Assert.True(report.PendingPoints == 0, text);
        Assert.Equal(72, server.SingleRun().Metrics.Count);
        Assert.Equal("FINISHED", server.SingleRun().Status);
        Assert.Contains("HttpRequestException", text, StringComparison.Ordinal); // the cut replies, retried
        Assert.Contains("search runs: HTTP 200, but the body is not the JSON the tracker's API returns", text, StringComparison.Ordinal);
        Assert.Contains("'<' is an invalid start of a value", text, StringComparison.Ordinal);
        Assert.Contains("Expected depth to be zero at the end of the JSON payload", text, StringComparison.Ordinal); // the truncated JSON
        Assert.DoesNotContain("stopped:", text, StringComparison.Ordinal);
    }
}
