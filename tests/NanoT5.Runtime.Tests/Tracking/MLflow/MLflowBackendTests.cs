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

    [Fact]
    public async Task A_run_started_in_a_git_checkout_names_its_commit_in_MLflow_s_own_tag()
    {
        const string Commit = "0123456789abcdef0123456789abcdef01234567";
        using var temp = TestPaths.NewTempFolder();
        Directory.CreateDirectory(temp.File(".git"));
        File.WriteAllText(temp.File(".git/HEAD"), Commit + "\n");
        await using var server = await FakeMLflowServer.StartAsync();

        await using (ExperimentTracker tracker = ExperimentTracker.Start(
            TrackingFixtures.Config(temp.File("run"), server.Url), TrackingFixtures.Options(new StringWriter()) with { SourceDirectory = temp.Path }))
        {
            tracker.LogMetric("train/loss", 1, 2.5);
            Assert.Equal(0, (await tracker.EndAsync(RunStatus.Finished)).PendingPoints);
        }

        Assert.Equal(Commit, Assert.Single(server.Runs.Values).Tags["mlflow.source.git.commit"]);
    }
}
