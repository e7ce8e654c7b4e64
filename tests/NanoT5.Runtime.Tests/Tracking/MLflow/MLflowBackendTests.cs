using NanoT5.Tracking;

namespace NanoT5.Tests.Tracking.MLflow;

public sealed class MLflowBackendTests
{
    [Fact]
    public async Task Runs_of_the_same_experiment_share_it_and_get_their_own_remote_runs()
    {
        using var temp = TestPaths.NewTempFolder();
        await using var server = await FakeMLflowServer.StartAsync();

        foreach (string run in new[] { "adafactor", "adamw" })
        {
            await using ExperimentTracker tracker = ExperimentTracker.Start(TrackingFixtures.Config(temp.File(run), server.Url), TrackingFixtures.Options(new StringWriter()));
            tracker.LogMetric(MetricNames.EvalRougeLOf("Cause, Effect"), 1, 40.7);
            Assert.Equal(0, (await tracker.EndAsync(RunStatus.Finished)).PendingPoints);
        }

        Assert.Equal(2, server.Runs.Count);
        Assert.Single(server.Runs.Values.Select(r => r.ExperimentId).Distinct());
        Assert.All(server.Runs.Values, r => Assert.Equal("eval/rougeL/Cause_ Effect", Assert.Single(r.Metrics.Keys).Key));
        Assert.All(server.Runs.Values, r => Assert.Equal("tracking-test", r.Tags["mlflow.runName"]));
    }
}
