using NanoT5.Tracking;

namespace NanoT5.Tests.Tracking.Remote;

public sealed class TokenExposureTests
{
    private const string Secret = "tok-0123456789abcdefghijklmnopqrstuv";

    [Fact]
    public async Task A_token_echoed_where_the_error_text_is_cut_shows_none_of_its_characters()
    {
        using var temp = TestPaths.NewTempFolder();
        await using var server = await FakeMLflowServer.StartAsync(requiredToken: "the-right-token");
        // The message is cut at 300 characters: the echoed "Bearer <token>" straddles the cut.
        server.EchoOffset = 300 - "invalid token in 'Bearer ".Length - 20;
        var log = new StringWriter();

        TrackingReport report;
        await using (ExperimentTracker tracker = ExperimentTracker.Start(TrackingFixtures.Config(temp.Path, server.Url, drainSeconds: 2), TrackingFixtures.Options(log, Secret)))
        {
            TrackingFixtures.LogSteps(tracker, firstStep: 1, steps: 2);
            report = await tracker.EndAsync(RunStatus.Finished);
        }

        string everything = log + string.Join("\n", report.Warnings);
        Assert.Contains("UNAUTHENTICATED", everything, StringComparison.Ordinal);
        Assert.Contains($"Bearer {Secret}", server.AuthorizationHeaders);
        for (int start = 0; start + 8 <= Secret.Length; start++)
        {
            Assert.DoesNotContain(Secret.Substring(start, 8), everything, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_token_variable_whose_name_is_not_the_trackers_is_warned_about_loudly()
    {
        using var temp = TestPaths.NewTempFolder();
        await using var server = await FakeMLflowServer.StartAsync();
        var config = TrackingFixtures.Config(temp.Path, server.Url, drainSeconds: 2);
        config = config with { Tracker = config.Tracker with { TokenVariable = "AWS_SECRET_ACCESS_KEY" } };
        var log = new StringWriter();
        var options = TrackingFixtures.Options(log) with { Environment = name => name == "AWS_SECRET_ACCESS_KEY" ? Secret : null };

        await using (ExperimentTracker tracker = ExperimentTracker.Start(config, options))
        {
            await tracker.EndAsync(RunStatus.Finished);
        }

        Assert.Contains("WARNING: the value of AWS_SECRET_ACCESS_KEY is sent as a bearer token", log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_default_token_variable_gets_no_such_warning()
    {
        using var temp = TestPaths.NewTempFolder();
        await using var server = await FakeMLflowServer.StartAsync();
        var log = new StringWriter();

        await using (ExperimentTracker tracker = ExperimentTracker.Start(TrackingFixtures.Config(temp.Path, server.Url, drainSeconds: 2), TrackingFixtures.Options(log, Secret)))
        {
            await tracker.EndAsync(RunStatus.Finished);
        }

        Assert.DoesNotContain("WARNING", log.ToString(), StringComparison.Ordinal);
    }
}
